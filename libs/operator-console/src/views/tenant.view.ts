import { CONSENT_STATUSES, type ConsentStatus } from '@gw/consent';
import {
  type ApiKeyView,
  type AuditRecordView,
  type ConsentView,
  type DeliveryView,
  type EndpointView,
  type TenantView,
} from '../admin-types';
import { scopeState } from '../domain/scope-state';
import { html, type SafeHtml } from '../html';
import { auditTable } from './audit-log.view';
import {
  actionButton,
  consoleUrl,
  csrfField,
  listOf,
  type Loaded,
  page,
  type PageContext,
  type Problem,
  problemNotice,
  tableHead,
  when,
} from './layout';
import { delegationBadge } from './tenants.view';

/** The scopes with their last check; polls itself while a queued check has not answered. */
export function scopesSection(context: PageContext, tenant: TenantView, poll: string | undefined): SafeHtml {
  return html`<section
    id="scopes"
    aria-labelledby="scopes-heading"
    ${poll ? html`hx-get="${poll}" hx-trigger="every 1s" hx-swap="outerHTML"` : ''}
  >
    <h2 id="scopes-heading">Delegated scopes ${delegationBadge(tenant.scopes)}</h2>
    ${
      tenant.scopes.length === 0
        ? html`<p>No scopes: the tenant cannot create consent requests yet.</p>`
        : html`<table>
            ${tableHead(['Scope', 'Last check', 'When'])}
            <tbody>
              ${tenant.scopes.map((scope) => {
                const state = scopeState(scope);
                switch (state.kind) {
                  case 'verified':
                    return html`<tr data-scope="${scope.scope}">
                      <td><code>${scope.scope}</code></td>
                      <td><span class="badge good">verified</span></td>
                      <td>${when(state.at)}</td>
                    </tr>`;
                  case 'refused':
                    return html`<tr data-scope="${scope.scope}">
                      <td><code>${scope.scope}</code></td>
                      <td><span class="badge bad">${state.code}</span> ${state.message}</td>
                      <td>${when(state.at)}</td>
                    </tr>`;
                  case 'unchecked':
                    return html`<tr data-scope="${scope.scope}">
                      <td><code>${scope.scope}</code></td>
                      <td><span class="badge warn">not checked yet</span></td>
                      <td>—</td>
                    </tr>`;
                }
              })}
            </tbody>
          </table>`
    }
    ${poll ? html`<p class="hint" role="status">Checking with Maskinporten…</p>` : ''}
    ${
      tenant.status === 'offboarded'
        ? ''
        : actionButton(context, consoleUrl(`/tenants/${tenant.id}/delegation-check`), 'Re-check delegation')
    }
  </section>`;
}

function keysSection(
  context: PageContext,
  tenant: TenantView,
  keys: Loaded<ApiKeyView[]>,
  issued: { key: string; prefix: string } | undefined,
): SafeHtml {
  return html`<section id="keys" aria-labelledby="keys-heading">
    <h2 id="keys-heading">API keys</h2>
    ${
      issued
        ? html`<div class="notice good" role="status">
            <p>
              New key <code>${issued.prefix}</code>, shown only now: give it to the tenant over a safe
              channel.
            </p>
            <p><output id="issued-key" class="secret">${issued.key}</output></p>
          </div>`
        : ''
    }
    ${listOf(
      keys,
      html`<p>No keys yet.</p>`,
      (items) =>
        html`<table>
          ${tableHead(['Prefix', 'Name', 'Issued', 'Last used', 'State'])}
          <tbody>
            ${items.map(
              (key) =>
                html`<tr data-key="${key.prefix}">
                  <td><code>${key.prefix}</code></td>
                  <td>${key.name || '—'}</td>
                  <td>${when(key.createdAt)}</td>
                  <td>${when(key.lastUsedAt)}</td>
                  <td>
                    ${
                      key.revokedAt
                        ? html`revoked ${when(key.revokedAt)}`
                        : actionButton(
                            context,
                            consoleUrl(`/tenants/${tenant.id}/api-keys/${key.id}/revoke`),
                            `Revoke ${key.prefix}`,
                          )
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`,
    )}
    ${
      tenant.status === 'active'
        ? html`<form
            method="post"
            action="${consoleUrl(`/tenants/${tenant.id}/api-keys`)}"
            class="inline-form"
          >
            ${csrfField(context)}
            <label for="key-name">Key name</label>
            <input id="key-name" name="name" maxlength="100" placeholder="e.g. the bank's loan system" />
            <button type="submit">Issue a key</button>
          </form>`
        : ''
    }
  </section>`;
}

/** Altinn's (or Maskinporten's) problem on a failed consent request, in one line. */
function failureText(failure: Record<string, unknown> | null): string {
  if (!failure) return '';
  const parts = ['source', 'status', 'code', 'mpCode', 'title', 'detail']
    .map((name) => failure[name])
    .filter((value) => typeof value === 'string' || typeof value === 'number');
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(failure);
}

export function consentsSection(
  tenantId: string,
  filter: { status?: ConsentStatus },
  consents: Loaded<ConsentView[]>,
): SafeHtml {
  return html`<section id="consents" aria-labelledby="consents-heading">
    <h2 id="consents-heading">Consent requests</h2>
    <form
      method="get"
      action="${consoleUrl(`/tenants/${tenantId}`)}"
      hx-get="${consoleUrl(`/tenants/${tenantId}/consent-requests`)}"
      hx-target="#consents"
      hx-swap="outerHTML"
      hx-push-url="false"
      class="inline-form"
    >
      <label for="consent-status">Status</label>
      <select id="consent-status" name="consentStatus">
        <option value="">any</option>
        ${CONSENT_STATUSES.map(
          (status) =>
            html`<option value="${status}" ${status === filter.status ? html`selected` : ''}>
              ${status}
            </option>`,
        )}
      </select>
      <button type="submit">Filter</button>
    </form>
    ${listOf(
      consents,
      html`<p>No consent requests${filter.status ? html` with status ${filter.status}` : ''}.</p>`,
      (items) =>
        html`<table>
          ${tableHead(['Id', 'Status', 'From', 'Valid to', 'Updated', 'Problem'])}
          <tbody>
            ${items.map(
              (consent) =>
                html`<tr data-consent="${consent.id}">
                  <td><code>${consent.id}</code></td>
                  <td>${consent.status}</td>
                  <td><code>${consent.from}</code></td>
                  <td>${when(consent.validTo)}</td>
                  <td>${when(consent.updatedAt)}</td>
                  <td>${failureText(consent.failure)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
    )}
  </section>`;
}

function webhooksSection(
  context: PageContext,
  tenantId: string,
  webhooks: Loaded<{ endpoint: EndpointView; deliveries: Loaded<DeliveryView[]> }[]>,
  replaySince: string,
): SafeHtml {
  return html`<section id="webhooks" aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhooks</h2>
    ${listOf(webhooks, html`<p>No webhook endpoints.</p>`, (items) =>
      items.map(
        ({ endpoint, deliveries }) =>
          html`<article class="endpoint" data-endpoint="${endpoint.id}">
            <h3><code>${endpoint.url}</code></h3>
            <p>
              ${
                endpoint.enabled
                  ? html`<span class="badge good">enabled</span>`
                  : html`<span class="badge bad">disabled (${endpoint.disabledReason ?? 'manual'})</span>`
              }
              ${endpoint.failingSince ? html`failing since ${when(endpoint.failingSince)}` : ''} · events:
              ${endpoint.eventTypes.length ? endpoint.eventTypes.join(', ') : 'all'}
            </p>
            ${listOf(
              deliveries,
              html`<p>No deliveries yet.</p>`,
              (items) =>
                html`<table>
                  <caption>
                    Latest deliveries
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last answer</th>
                      <th scope="col">Created</th>
                      <th scope="col"><span class="visually-hidden">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${items.map(
                      (delivery) =>
                        html`<tr data-delivery="${delivery.id}">
                          <td>${delivery.eventType}</td>
                          <td>${delivery.status}</td>
                          <td>${delivery.attempts}</td>
                          <td>${delivery.lastStatusCode ?? ''} ${delivery.lastError ?? ''}</td>
                          <td>${when(delivery.createdAt)}</td>
                          <td>
                            ${
                              delivery.status === 'failed' || delivery.status === 'dead'
                                ? actionButton(
                                    context,
                                    consoleUrl(
                                      `/tenants/${tenantId}/webhook-deliveries/${delivery.id}/retry`,
                                    ),
                                    'Retry',
                                  )
                                : ''
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`,
            )}
            <form
              method="post"
              action="${consoleUrl(`/tenants/${tenantId}/webhook-endpoints/${endpoint.id}/replay`)}"
              class="inline-form"
            >
              ${csrfField(context)}
              <label for="since-${endpoint.id}">Replay failed and dead deliveries created since</label>
              <input id="since-${endpoint.id}" name="since" value="${replaySince}" maxlength="64" />
              <button type="submit">Replay</button>
            </form>
          </article>`,
      ),
    )}
  </section>`;
}

export interface TenantPageData {
  tenant: TenantView;
  pollScopes: string | undefined;
  keys: Loaded<ApiKeyView[]>;
  issued?: { key: string; prefix: string };
  consentFilter: { status?: ConsentStatus };
  consents: Loaded<ConsentView[]>;
  webhooks: Loaded<{ endpoint: EndpointView; deliveries: Loaded<DeliveryView[]> }[]>;
  replaySince: string;
  audit: Loaded<AuditRecordView[]>;
  notice?: string;
  problem?: Problem;
}

/** Everything support needs about one tenant on one page. */
export function tenantPage(context: PageContext, data: TenantPageData): SafeHtml {
  const { tenant } = data;
  return page(
    tenant.name,
    context,
    'tenants',
    html`<p class="facts">
        Org number <code>${tenant.orgNumber}</code> · status <strong>${tenant.status}</strong> · onboarded
        ${when(tenant.createdAt)} · id <code>${tenant.id}</code>
      </p>
      ${data.notice ? html`<div class="notice good" role="status">${data.notice}</div>` : ''}
      ${problemNotice(data.problem)} ${scopesSection(context, tenant, data.pollScopes)}
      ${keysSection(context, tenant, data.keys, data.issued)}
      ${consentsSection(tenant.id, data.consentFilter, data.consents)}
      ${webhooksSection(context, tenant.id, data.webhooks, data.replaySince)}
      <section id="audit" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit trail</h2>
        ${data.audit.ok ? auditTable(data.audit.value) : problemNotice(data.audit.problem)}
        <p>
          <a href="${consoleUrl('/audit-log', { tenantId: tenant.id })}">The tenant’s whole audit trail</a>
        </p>
      </section>`,
  );
}
