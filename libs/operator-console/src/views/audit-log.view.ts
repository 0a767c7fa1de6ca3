import { type AdminPaths } from '@samtykke-gateway/client';
import { type AuditRecordView } from '../admin-types';
import { html, type SafeHtml } from '../html';
import { consoleUrl, page, type PageContext, type Problem, problemNotice, tableHead, when } from './layout';

/** The audit log's filters, as the admin API takes them. */
export type AuditFilter = Pick<
  NonNullable<AdminPaths['/admin/v1/audit-log']['get']['parameters']['query']>,
  'tenantId' | 'actor' | 'action' | 'target' | 'from' | 'to'
>;

export function auditTable(records: AuditRecordView[]): SafeHtml {
  if (records.length === 0) return html`<p>No audit records.</p>`;
  return html`<table class="audit">
    ${tableHead(['When', 'Actor', 'Action', 'Target', 'Details'])}
    <tbody>
      ${records.map(
        (record) =>
          html`<tr>
            <td>${when(record.occurredAt)}</td>
            <td><code>${record.actor}</code></td>
            <td><code>${record.action}</code></td>
            <td>${record.target ? html`<code>${record.target}</code>` : '—'}</td>
            <td><code class="details">${JSON.stringify(record.details)}</code></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const FIELDS: { name: keyof AuditFilter; label: string; hint: string }[] = [
  { name: 'tenantId', label: 'Tenant id', hint: 'UUID' },
  { name: 'actor', label: 'Actor', hint: 'admin:<fingerprint> or a key prefix' },
  { name: 'action', label: 'Action', hint: 'e.g. api_key.revoked, or webhook_endpoint.' },
  { name: 'target', label: 'Target', hint: 'e.g. tenant:<id>' },
  { name: 'from', label: 'From', hint: 'ISO 8601, e.g. 2026-01-01T00:00:00Z' },
  { name: 'to', label: 'To', hint: 'ISO 8601' },
];

/** The audit log with the admin API's filters, paging and an NDJSON export of what the filters select. */
export function auditLogPage(
  context: PageContext,
  filter: AuditFilter,
  result: { records: AuditRecordView[]; next: string | null } | { problem: Problem },
): SafeHtml {
  const fieldErrors = new Map(
    ('problem' in result ? (result.problem.errors ?? []) : []).map((error) => [
      error.parameter ?? error.pointer.split('/')[1],
      error.detail,
    ]),
  );
  return page(
    'Audit log',
    context,
    'audit',
    html`<form method="get" action="${consoleUrl('/audit-log')}" class="search" role="search">
        ${FIELDS.map(({ name, label, hint }) => {
          const error = fieldErrors.get(name);
          return html`<div class="field ${error ? 'invalid' : ''}">
            <label for="audit-${name}">${label}</label>
            <input
              id="audit-${name}"
              name="${name}"
              value="${filter[name] ?? ''}"
              placeholder="${hint}"
              maxlength="200"
              ${error ? html`aria-invalid="true" aria-describedby="audit-${name}-error"` : ''}
            />
            ${error ? html`<p class="field-error" id="audit-${name}-error">${error}</p>` : ''}
          </div>`;
        })}
        <button type="submit">Filter</button>
      </form>
      <p>
        <a href="${consoleUrl('/audit-log/export', { ...filter })}" download hx-boost="false"
          >Export what these filters select (NDJSON)</a
        >
      </p>
      ${
        'problem' in result
          ? problemNotice(result.problem)
          : html`${auditTable(result.records)}
            ${
              result.next
                ? html`<p>
                    <a href="${consoleUrl('/audit-log', { ...filter, cursor: result.next })}"
                      >Older records</a
                    >
                  </p>`
                : ''
            }`
      }`,
  );
}
