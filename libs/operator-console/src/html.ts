const SAFE = Symbol('sgw.safe-html');

/** Markup that is safe to send: built by `html`, every interpolated value escaped. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly markup: string;
}

/** What a template may interpolate: text (escaped), numbers, markup from `html`, lists of these; nothing for null/undefined/false. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ENTITIES[character]);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && SAFE in value;
}

function render(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || value === true) return String(value);
  if (isSafe(value)) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  // null, undefined, false, and anything a cast smuggled in: nothing.
  return '';
}

/**
 * The one way the console builds markup: a tagged template whose literal parts are markup and whose
 * values are escaped, unless they are markup built by `html` themselves. Attribute values must be
 * quoted in the template (`href="${url}"`); a URL value is built by the console, never taken from input.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return { [SAFE]: true, markup };
}
