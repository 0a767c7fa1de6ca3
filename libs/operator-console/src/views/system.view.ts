import { type QueueView, type TrafficView, type UpstreamView } from '../admin-types';
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

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

function trafficTables(traffic: TrafficView): SafeHtml {
  return html`<table>
      <caption>
        Upstream calls, last ${traffic.minutes} min
      </caption>
      <thead>
        <tr>
          <th scope="col">Upstream</th>
          <th scope="col" class="number">Calls</th>
          <th scope="col" class="number">Errors</th>
          <th scope="col" class="number">Error rate</th>
        </tr>
      </thead>
      <tbody>
        ${
          traffic.upstreams.length === 0
            ? html`<tr>
                <td colspan="4">No calls.</td>
              </tr>`
            : traffic.upstreams.map(
                (row) =>
                  html`<tr data-traffic-upstream="${row.upstream}">
                    <td>${row.upstream}</td>
                    <td class="number">${row.calls}</td>
                    <td class="number">${row.errors}</td>
                    <td class="number">${percent(row.errorRate)}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    <table>
      <caption>
        Token cache, last ${traffic.minutes} min
      </caption>
      <thead>
        <tr>
          <th scope="col">Scope</th>
          <th scope="col" class="number">From cache</th>
          <th scope="col" class="number">Waited</th>
          <th scope="col" class="number">Fetched</th>
          <th scope="col" class="number">Hit ratio</th>
        </tr>
      </thead>
      <tbody>
        ${
          traffic.tokenCache.length === 0
            ? html`<tr>
                <td colspan="5">No token requests.</td>
              </tr>`
            : traffic.tokenCache.map(
                (row) =>
                  html`<tr data-token-scope="${row.scope}">
                    <td><code>${row.scope}</code></td>
                    <td class="number">${row.cache}</td>
                    <td class="number">${row.waited}</td>
                    <td class="number">${row.fetched}</td>
                    <td class="number">${percent(row.hitRatio)}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>`;
}

export function systemPage(
  context: PageContext,
  queues: Loaded<QueueView[]>,
  upstreams: Loaded<UpstreamView[]>,
  traffic: Loaded<TrafficView>,
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
        ${traffic.ok ? trafficTables(traffic.value) : problemNotice(traffic.problem)}
        <p class="hint">
          Every gateway and worker counted together. Errors by code and latencies, per process: its
          <code>/metrics</code> (<code>sgw_upstream_calls_total</code>,
          <code>sgw_upstream_errors_total</code>, <code>sgw_token_cache_requests_total</code>).
        </p>
      </section>`,
  );
}
