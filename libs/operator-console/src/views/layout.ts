import { html, type SafeHtml } from '../html';

/** Where the console is served, on the management listener. */
export const CONSOLE_PATH = '/console';

/** An admin API problem as the console shows it (RFC 9457, with the gateway's field `errors`). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code?: string;
  errors?: { pointer: string; detail: string; parameter?: string }[];
}

export type Section = 'tenants' | 'onboard' | 'audit' | 'system';

/** What every signed-in page needs: who is signed in and the token its forms carry. */
export interface PageContext {
  actor: string;
  csrfToken: string;
}

/** A console URL from its path under `/console` and query values (empty ones left out). */
export function consoleUrl(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return `${CONSOLE_PATH}${path}${text ? `?${text}` : ''}`;
}

/** An ISO date-time as operators read it: `2026-01-31 14:05:09 UTC`; a dash for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The hidden field every form carries (the synchronizer token). */
export function csrfField(context: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${context.csrfToken}" />`;
}

/** A one-button form that posts a change (re-check, revoke, retry…). */
export function actionButton(
  context: PageContext,
  action: string,
  label: string,
  extra?: SafeHtml,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(context)}${extra}<button type="submit">${label}</button>
  </form>`;
}

/** A table's head: a column header per name. */
export function tableHead(columns: readonly string[]): SafeHtml {
  return html`<thead>
    <tr>
      ${columns.map((column) => html`<th scope="col">${column}</th>`)}
    </tr>
  </thead>`;
}

/** A part of a page that loads on its own: its value, or the problem the admin API answered. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** A loaded list: the problem, the text for none, or the items rendered. */
export function listOf<T>(
  list: Loaded<T[]>,
  none: SafeHtml,
  render: (items: T[]) => SafeHtml | SafeHtml[],
): SafeHtml {
  if (!list.ok) return problemNotice(list.problem);
  return list.value.length === 0 ? none : html`${render(list.value)}`;
}

/** A problem the admin API answered, as an alert. */
export function problemNotice(problem: Problem | undefined): SafeHtml {
  if (!problem) return html``;
  return html`<div class="notice error" role="alert">
    <strong>${problem.title}</strong>
    (${problem.status}${problem.code ? html`, <code>${problem.code}</code>` : ''}): ${problem.detail}
    ${
      problem.errors?.length
        ? html`<ul>
            ${problem.errors.map((error) => html`<li><code>${error.parameter ?? error.pointer}</code>: ${error.detail}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
}

// htmx reads its settings from this tag (no inline script under the CSP): no indicator styles (an
// inline <style>), no eval, no history snapshots in localStorage (pages show keys once and
// support data), and error pages (a 422 form, a 404) are shown like any other.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[2345]..', swap: true },
  ],
});

const NAVIGATION: { section: Section; path: string; label: string }[] = [
  { section: 'tenants', path: '/tenants', label: 'Tenants' },
  { section: 'onboard', path: '/tenants/new', label: 'Onboard a tenant' },
  { section: 'audit', path: '/audit-log', label: 'Audit log' },
  { section: 'system', path: '/system', label: 'System health' },
];

function document(title: string, body: SafeHtml, bodyAttributes: SafeHtml = html``): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content="${HTMX_CONFIG}" />
        <title>${title} · samtykke-gateway console</title>
        <link rel="stylesheet" href="${CONSOLE_PATH}/assets/console.css" />
        <script src="${CONSOLE_PATH}/assets/htmx.min.js" defer></script>
      </head>
      <body ${bodyAttributes}>
        ${body}
      </body>
    </html>`;
}

/** A signed-in page: navigation, who is signed in, sign-out, and the page's own content. */
export function page(
  title: string,
  context: PageContext,
  section: Section | undefined,
  content: SafeHtml,
): SafeHtml {
  const headers = JSON.stringify({ 'X-CSRF-Token': context.csrfToken });
  return document(
    title,
    html`<a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">samtykke-gateway · operator console</span>
        <nav aria-label="Console">
          <ul>
            ${NAVIGATION.map(
              (item) =>
                html`<li>
                  <a
                    href="${consoleUrl(item.path)}"
                    ${item.section === section ? html`aria-current="page"` : ''}
                    >${item.label}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>
        <form method="post" action="${consoleUrl('/sign-out')}" class="inline sign-out">
          ${csrfField(context)}
          <span class="actor" title="the admin key’s fingerprint, as the audit log names you"
            >${context.actor}</span
          >
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main id="main" tabindex="-1">
        <h1>${title}</h1>
        ${content}
      </main>`,
    html`hx-boost="true" hx-headers="${headers}"`,
  );
}

/** The sign-in page: the admin key, nothing else. */
export function signInPage(options: { error?: string } = {}): SafeHtml {
  return document(
    'Sign in',
    html`<main id="main" class="sign-in">
      <h1>samtykke-gateway operator console</h1>
      <form method="post" action="${consoleUrl('/sign-in')}">
        ${options.error ? html`<div class="notice error" role="alert" id="sign-in-error">${options.error}</div>` : ''}
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          name="adminKey"
          type="password"
          autocomplete="current-password"
          required
          maxlength="500"
          ${options.error ? html`aria-invalid="true" aria-describedby="sign-in-error"` : ''}
        />
        <p class="hint">
          One of the gateway’s ADMIN_API_KEY. It stays on the server; your browser keeps only a session
          cookie.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>`,
  );
}

/** A page for an answer that has no page of its own (not found, the admin API refused). */
export function problemPage(title: string, context: PageContext, problem: Problem): SafeHtml {
  return page(title, context, undefined, problemNotice(problem));
}
