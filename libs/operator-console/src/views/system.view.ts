import { type QueueView, type UpstreamView } from '../admin-types';
import { html, type SafeHtml } from '../html';
import { type Loaded, page, type PageContext, problemNotice, when } from './layout';

function age(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'paused'] as const;

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

const BREAKER_BADGE: Record<string, string> = { closed: 'good', half_open: 'warn', open: 'bad' };

function upstreamsTable(upstreams: UpstreamView[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Upstream</th>
        <th scope="col">Circuit breaker</th>
        <th scope="col">Since</th>
        <th scope="col" class="number">Failures in a row</th>
        <th scope="col">Next probe</th>
      </tr>
    </thead>
    <tbody>
      ${upstreams.map(
        (upstream) =>
          html`<tr data-upstream="${upstream.upstream}">
            <td>${upstream.upstream}</td>
            <td>
              <span class="badge ${BREAKER_BADGE[upstream.state] ?? 'muted'}"
                >${upstream.state.replace('_', '-')}</span
              >
            </td>
            <td>${when(upstream.since)}</td>
            <td class="number">${upstream.failures} of ${upstream.failureThreshold}</td>
            <td>${when(upstream.probeAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function systemPage(
  context: PageContext,
  queues: Loaded<QueueView[]>,
  upstreams: Loaded<UpstreamView[]>,
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
        ${upstreams.ok ? upstreamsTable(upstreams.value) : problemNotice(upstreams.problem)}
        <p class="hint">
          Upstream calls, errors by code and the token cache's hits, per worker: its
          <code>/metrics</code> (<code>sgw_upstream_calls_total</code>,
          <code>sgw_upstream_errors_total</code>, <code>sgw_token_cache_requests_total</code>).
        </p>
      </section>`,
  );
}
