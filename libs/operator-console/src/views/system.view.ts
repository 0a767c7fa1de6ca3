import { html, type SafeHtml } from '../html';
import { page, type PageContext, problemNotice } from './layout';
import { type Loaded } from './tenant.view';

export interface QueueView {
  queue: string;
  counts: Record<string, number>;
  oldestWaitingSeconds: number | null;
  paused: boolean;
}

/** The upstreams' state as the admin API reports it; shown as it comes, since its shape is the API's. */
export type UpstreamsView = Record<string, unknown>;

function age(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'paused'];

function queuesTable(queues: QueueView[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Queue</th>
        ${STATES.map((state) => html`<th scope="col" class="number">${state}</th>`)}
        <th scope="col" class="number">Oldest waiting</th>
      </tr>
    </thead>
    <tbody>
      ${queues.map(
        (queue) =>
          html`<tr data-queue="${queue.queue}">
            <td>
              <code>${queue.queue}</code>${queue.paused ? html` <span class="badge warn">paused</span>` : ''}
            </td>
            ${STATES.map((state) => html`<td class="number">${queue.counts[state] ?? 0}</td>`)}
            <td class="number">${age(queue.oldestWaitingSeconds)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** One upstream's entry: its fields as a definition list (error rates, breaker state, token cache…). */
function upstreamEntry(name: string, value: unknown): SafeHtml {
  if (value === null || typeof value !== 'object')
    return html`<dt>${name}</dt>
      <dd>${String(value)}</dd>`;
  return html`<dt>${name}</dt>
    <dd>
      <dl class="nested">
        ${Object.entries(value as Record<string, unknown>).map(([key, inner]) =>
          upstreamEntry(
            key,
            typeof inner === 'object' && inner !== null && !Array.isArray(inner)
              ? inner
              : JSON.stringify(inner),
          ),
        )}
      </dl>
    </dd>`;
}

export function systemPage(
  context: PageContext,
  queues: Loaded<QueueView[]>,
  upstreams: Loaded<UpstreamsView> | undefined,
): SafeHtml {
  return page(
    'System health',
    context,
    'system',
    html`<section aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        ${queues.ok ? queuesTable(queues.value) : problemNotice(queues.problem)}
        <p class="hint">
          Jobs and their retries in detail: the queue board at
          <a href="/admin/queues" hx-boost="false">/admin/queues</a>.
        </p>
      </section>
      <section aria-labelledby="upstreams-heading">
        <h2 id="upstreams-heading">Upstreams</h2>
        ${
          upstreams === undefined
            ? html`<p>This gateway does not report its upstreams.</p>`
            : upstreams.ok
              ? html`<dl class="upstreams">
                  ${Object.entries(upstreams.value).map(([name, value]) => upstreamEntry(name, value))}
                </dl>`
              : problemNotice(upstreams.problem)
        }
      </section>`,
  );
}
