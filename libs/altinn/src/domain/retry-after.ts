/** Longest wait a `Retry-After` may ask for before it is read as a mistake and capped. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * RFC 9110 §10.2.3 `Retry-After`: delay-seconds or an HTTP-date, in milliseconds from `now`; undefined
 * when absent or unreadable. A date in the past is 0; anything longer than {@link MAX_RETRY_AFTER_MS} is
 * capped there.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // An HTTP-date names its day and month ("Wed, 02 Dec 2026 …"); Date.parse would also take "-5" as a year.
    const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now.getTime());
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
