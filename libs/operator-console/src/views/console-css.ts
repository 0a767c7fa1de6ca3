// The console's own stylesheet, served as /console/assets/console.css: a module rather than a file, so
// the compiled build carries it with no copy step.
export const CONSOLE_CSS = `/* The operator console: system fonts, contrast of at least 4.5:1 for text (WCAG 2.2 AA), a focus ring on
   everything that takes focus, a layout for 1280 px and wider. */
:root {
  --text: #1b1f24;
  --muted: #4a5260;
  --line: #c9ced6;
  --surface: #ffffff;
  --page: #f4f5f7;
  --accent: #0b57a4;
  --good-bg: #e3f4e8;
  --good: #14532d;
  --bad-bg: #fde8e8;
  --bad: #8a1c1c;
  --warn-bg: #fff4d6;
  --warn: #6b4a00;
  --focus: #ffbf47;
}
* {
  box-sizing: border-box;
}
body {
  margin: 0;
  font:
    15px/1.45 system-ui,
    -apple-system,
    'Segoe UI',
    Roboto,
    sans-serif;
  color: var(--text);
  background: var(--page);
}
a {
  color: var(--accent);
}
code {
  font:
    13px/1.3 ui-monospace,
    'SFMono-Regular',
    Menlo,
    Consolas,
    monospace;
}
:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  box-shadow: 0 0 0 5px var(--text);
}
.skip {
  position: absolute;
  left: -9999px;
}
.skip:focus {
  left: 1rem;
  top: 1rem;
  background: var(--surface);
  padding: 0.5rem;
  z-index: 10;
}
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
}
.top {
  display: flex;
  align-items: center;
  gap: 1.5rem;
  padding: 0.6rem 1.5rem;
  background: #13233a;
  color: #ffffff;
}
.top .brand {
  font-weight: 600;
}
.top nav ul {
  display: flex;
  gap: 1rem;
  list-style: none;
  margin: 0;
  padding: 0;
}
.top nav a {
  color: #ffffff;
  text-decoration: none;
  padding: 0.3rem 0.2rem;
}
.top nav a[aria-current='page'] {
  border-bottom: 3px solid var(--focus);
}
.top .sign-out {
  margin-left: auto;
  display: flex;
  gap: 0.75rem;
  align-items: center;
}
.top .actor {
  font:
    12px ui-monospace,
    monospace;
  color: #d6dde8;
}
main {
  max-width: 1400px;
  margin: 0 auto;
  padding: 1rem 1.5rem 3rem;
}
main:focus {
  outline: none;
}
h1 {
  font-size: 1.6rem;
  margin: 0.5rem 0 1rem;
}
h2 {
  font-size: 1.2rem;
  margin: 0 0 0.75rem;
  display: flex;
  gap: 0.75rem;
  align-items: center;
}
h3 {
  font-size: 1rem;
  margin: 0 0 0.4rem;
}
section,
article.endpoint {
  background: var(--surface);
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 1rem 1.25rem;
  margin: 0 0 1rem;
}
article.endpoint {
  margin: 0.75rem 0;
}
table {
  width: 100%;
  border-collapse: collapse;
  background: var(--surface);
  margin: 0.5rem 0;
}
caption {
  text-align: left;
  font-weight: 600;
  padding: 0.25rem 0;
}
th,
td {
  text-align: left;
  padding: 0.4rem 0.6rem;
  border-bottom: 1px solid var(--line);
  vertical-align: top;
}
th {
  font-weight: 600;
  color: var(--muted);
  font-size: 0.85rem;
}
td.number,
th.number {
  text-align: right;
}
code.details {
  word-break: break-all;
}
label {
  font-weight: 600;
  display: block;
  margin-bottom: 0.2rem;
}
input,
select,
textarea {
  font: inherit;
  color: var(--text);
  background: var(--surface);
  border: 1px solid #6b7280;
  border-radius: 4px;
  padding: 0.35rem 0.5rem;
}
textarea {
  width: 100%;
  max-width: 40rem;
}
.stacked .field input {
  width: 100%;
  max-width: 28rem;
}
button {
  font: inherit;
  font-weight: 600;
  cursor: pointer;
  color: #ffffff;
  background: var(--accent);
  border: 1px solid var(--accent);
  border-radius: 4px;
  padding: 0.35rem 0.9rem;
}
button:hover {
  background: #084482;
}
.top button {
  background: transparent;
  border-color: #ffffff;
}
form.inline {
  display: inline;
}
.inline-form {
  display: flex;
  gap: 0.6rem;
  align-items: center;
  flex-wrap: wrap;
  margin: 0.5rem 0;
}
.inline-form label {
  margin: 0;
}
.search {
  display: flex;
  gap: 1rem;
  align-items: flex-end;
  flex-wrap: wrap;
  margin-bottom: 1rem;
}
.stacked .field {
  margin-bottom: 1rem;
}
.hint {
  color: var(--muted);
  margin: 0.2rem 0;
  font-size: 0.9rem;
}
.field.invalid input,
.field.invalid textarea {
  border: 2px solid var(--bad);
}
.field-error {
  color: var(--bad);
  font-weight: 600;
  margin: 0.25rem 0;
}
.notice {
  border-radius: 6px;
  padding: 0.6rem 0.9rem;
  margin: 0 0 1rem;
  border: 1px solid;
}
.notice.error {
  background: var(--bad-bg);
  color: var(--bad);
  border-color: var(--bad);
}
.notice.good {
  background: var(--good-bg);
  color: var(--good);
  border-color: var(--good);
}
.notice ul {
  margin: 0.3rem 0 0;
}
.secret {
  font:
    14px ui-monospace,
    monospace;
  background: var(--surface);
  padding: 0.3rem 0.5rem;
  user-select: all;
}
.badge {
  display: inline-block;
  border-radius: 999px;
  padding: 0.05rem 0.6rem;
  font-size: 0.85rem;
  font-weight: 600;
}
.badge.good {
  background: var(--good-bg);
  color: var(--good);
}
.badge.bad {
  background: var(--bad-bg);
  color: var(--bad);
}
.badge.warn {
  background: var(--warn-bg);
  color: var(--warn);
}
.badge.muted {
  background: #eceef1;
  color: var(--muted);
}
.facts {
  color: var(--muted);
}
.sign-in {
  max-width: 28rem;
  margin: 4rem auto;
  background: var(--surface);
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 1.5rem;
}
.sign-in input {
  width: 100%;
  margin-bottom: 0.5rem;
}
dl.upstreams dt {
  font-weight: 600;
  margin-top: 0.5rem;
}
dl.nested {
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: 0.1rem 1rem;
  margin: 0.2rem 0;
}
dl.nested dd {
  margin: 0;
}
`;
