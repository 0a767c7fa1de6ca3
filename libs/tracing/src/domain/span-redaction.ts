import { redactText } from '@gw/redaction';

/** An attribute value as OpenTelemetry holds it. */
export type SpanAttributeValue =
  | string
  | number
  | boolean
  | (string | null | undefined)[]
  | (number | null | undefined)[]
  | (boolean | null | undefined)[];

/**
 * Attributes holding a URL or its query: the query goes whole. A webhook URL's query can hold the
 * receiver's own credential under any name, so no pattern could be trusted to find it.
 */
const URL_ATTRIBUTES = new Set(['url.full', 'http.url', 'http.target', 'url.original']);
const QUERY_ATTRIBUTES = new Set(['url.query']);

/** A URL without its query and fragment: `https://bank.example/hook?sig=…` → `https://bank.example/hook`. */
export function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * One span attribute as it may leave the process: fødselsnummer, tokens, API keys and secrets masked by
 * the log redaction's rules; a URL without its query.
 */
export function redactSpanAttribute(key: string, value: SpanAttributeValue): SpanAttributeValue {
  if (QUERY_ATTRIBUTES.has(key)) return '[REDACTED]';
  if (typeof value === 'string') {
    return redactText(URL_ATTRIBUTES.has(key) ? withoutQuery(value) : value);
  }
  if (typeof value === 'number') {
    // An 11-digit integer is a fødselsnummer as far as anyone reading a span can tell.
    return Number.isInteger(value) && Math.abs(value) >= 1e10 && Math.abs(value) < 1e11
      ? '[REDACTED]'
      : value;
  }
  if (Array.isArray(value) && value.some((item) => typeof item === 'string')) {
    return (value as (string | null | undefined)[]).map((item) =>
      typeof item === 'string' ? redactText(item) : item,
    );
  }
  return value;
}

/** Every attribute of a span, event or link through {@link redactSpanAttribute}. */
export function redactSpanAttributes(
  attributes: Readonly<Record<string, SpanAttributeValue | undefined>>,
): Record<string, SpanAttributeValue> {
  const result: Record<string, SpanAttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) result[key] = redactSpanAttribute(key, value);
  }
  return result;
}

/**
 * Spans BullMQ makes for a worker's own housekeeping (polling for the next job, the stalled-job check,
 * pauses): one per poll, none about a consent. Not recorded, and nothing below them either.
 */
const HOUSEKEEPING =
  /^(getNextJob|moveStalledJobsToWait|startStalledCheckTimer|rateLimit|pause|resume|close)\b/;

export function isHousekeepingSpan(name: string): boolean {
  return HOUSEKEEPING.test(name);
}
