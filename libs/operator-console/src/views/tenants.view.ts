import { type TenantView } from '../admin-types';
import { delegationGlance, type ScopeCheck } from '../domain/scope-state';
import { html, type SafeHtml } from '../html';
import { consoleUrl, page, type PageContext, type Problem, problemNotice, tableHead, when } from './layout';

export interface TenantSearch {
  q?: string;
  status?: string;
  delegation?: string;
}

const STATUSES = ['active', 'suspended', 'offboarded'];
const DELEGATION = [
  ['verified', 'every scope verified'],
  ['failing', 'a scope refused'],
  ['pending', 'not checked yet'],
  ['none', 'no scopes'],
];

function options(values: string[][], selected: string | undefined): SafeHtml[] {
  return values.map(
    ([value, label]) =>
      html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`,
  );
}

/** A tenant's delegation state in a few words, with a class for its colour. */
export function delegationBadge(scopes: readonly ScopeCheck[]): SafeHtml {
  const glance = delegationGlance(scopes);
  if (glance.total === 0) return html`<span class="badge muted">no scopes</span>`;
  if (glance.refused.length > 0) {
    return html`<span class="badge bad"
      >${glance.refused.length} refused (${[...new Set(glance.refused)].join(', ')})</span
    >`;
  }
  if (glance.unchecked > 0) return html`<span class="badge warn">${glance.unchecked} not checked yet</span>`;
  return html`<span class="badge good">${glance.verified}/${glance.total} verified</span>`;
}

export function tenantsPage(
  context: PageContext,
  search: TenantSearch,
  result: { tenants: TenantView[]; next: string | null } | { problem: Problem },
): SafeHtml {
  return page(
    'Tenants',
    context,
    'tenants',
    html`<form method="get" action="${consoleUrl('/tenants')}" class="search" role="search">
        <div class="field">
          <label for="q">Org number or name</label>
          <input id="q" name="q" type="search" value="${search.q ?? ''}" maxlength="200" />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">any</option>
            ${options(
              STATUSES.map((status) => [status, status]),
              search.status,
            )}
          </select>
        </div>
        <div class="field">
          <label for="delegation">Delegation</label>
          <select id="delegation" name="delegation">
            <option value="">any</option>
            ${options(DELEGATION, search.delegation)}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      ${
        'problem' in result
          ? problemNotice(result.problem)
          : result.tenants.length === 0
            ? html`<p>No tenant matches.</p>`
            : html`<table>
                  <caption class="visually-hidden">
                    Tenants
                  </caption>
                  ${tableHead(['Org number', 'Name', 'Status', 'Delegation', 'Onboarded'])}
                  <tbody>
                    ${result.tenants.map(
                      (tenant) =>
                        html`<tr>
                          <td><code>${tenant.orgNumber}</code></td>
                          <td><a href="${consoleUrl(`/tenants/${tenant.id}`)}">${tenant.name}</a></td>
                          <td>${tenant.status}</td>
                          <td>${delegationBadge(tenant.scopes)}</td>
                          <td>${when(tenant.createdAt)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${
                  result.next
                    ? html`<p>
                        <a href="${consoleUrl('/tenants', { ...search, cursor: result.next })}">Next page</a>
                      </p>`
                    : ''
                }`
      }`,
  );
}

export interface OnboardingInput {
  orgNumber: string;
  name: string;
  scopes: string;
}

/** The admin API's field errors by field: `/orgNumber` → orgNumber, `/scopes/1` → scopes. */
export function fieldErrors(problem: Problem | undefined): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const error of problem?.errors ?? []) {
    const field = error.pointer.split('/')[1] ?? '';
    byField.set(field, [...(byField.get(field) ?? []), error.detail]);
  }
  return byField;
}

function field(
  id: keyof OnboardingInput,
  label: string,
  input: SafeHtml,
  errors: Map<string, string[]>,
  hint?: string,
): SafeHtml {
  const messages = errors.get(id) ?? [];
  return html`<div class="field ${messages.length ? 'invalid' : ''}">
    <label for="${id}">${label}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''} ${input}
    ${messages.length ? html`<p class="field-error" id="${id}-error">${messages.join('; ')}</p>` : ''}
  </div>`;
}

function described(id: string, errors: Map<string, string[]>, hint: boolean): SafeHtml {
  const ids = [hint ? `${id}-hint` : '', errors.has(id) ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`${ids ? html`aria-describedby="${ids}"` : ''} ${errors.has(id) ? html`aria-invalid="true"` : ''}`;
}

/** Onboarding: the API's own field-level problems beside the fields they name. */
export function onboardingPage(context: PageContext, input: OnboardingInput, problem?: Problem): SafeHtml {
  const errors = fieldErrors(problem);
  const general = problem && (problem.errors?.length ?? 0) === 0 ? problem : undefined;
  return page(
    'Onboard a tenant',
    context,
    'onboard',
    html`${problemNotice(general)}
      ${
        errors.size > 0
          ? html`<div class="notice error" role="alert">
              The gateway refused the tenant: see the fields below.
            </div>`
          : ''
      }
      <form method="post" action="${consoleUrl('/tenants')}" class="stacked" novalidate>
        <input type="hidden" name="_csrf" value="${context.csrfToken}" />
        ${field(
          'orgNumber',
          'Organisation number',
          html`<input
            id="orgNumber"
            name="orgNumber"
            inputmode="numeric"
            maxlength="20"
            value="${input.orgNumber}"
            ${described('orgNumber', errors, false)}
          />`,
          errors,
        )}
        ${field(
          'name',
          'Name',
          html`<input
            id="name"
            name="name"
            maxlength="300"
            value="${input.name}"
            ${described('name', errors, false)}
          />`,
          errors,
        )}
        ${field(
          'scopes',
          'Delegated scopes',
          html`<textarea id="scopes" name="scopes" rows="3" ${described('scopes', errors, true)}>
${input.scopes}</textarea>`,
          errors,
          'One Maskinporten scope per line, e.g. altinn:consentrequests.write',
        )}
        <button type="submit">Onboard</button>
      </form>`,
  );
}
