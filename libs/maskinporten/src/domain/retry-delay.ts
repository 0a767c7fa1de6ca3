export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Cap on the exponential delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half of `min(max, base · 2^(retry−1))` fixed, half random,
 * so retries of many workers spread out yet never fire at once. `retry` counts from 1; `random` ∈ [0, 1).
 */
export function retryDelayMs(retry: number, options: BackoffOptions, random: number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * RFC 9110 §10.2.3 `Retry-After` (delay-seconds or an HTTP-date) in ms from `now`; undefined when absent
 * or unreadable, 0 for a date already past.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month ("Wed, 02 Dec 2026 …"); Date.parse would also take "-5" as a year.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * The wait before retry number `retry`: the backoff, and never less than what the server asked for. A
 * `Retry-After` beyond `maxWaitMs` is not waited out in-process: undefined means "give up now", leaving
 * the retry to the caller's queue.
 */
export function nextRetryDelayMs(
  retry: number,
  options: BackoffOptions,
  random: number,
  serverAskedMs: number | undefined,
  maxWaitMs: number,
): number | undefined {
  const backoff = retryDelayMs(retry, options, random);
  if (serverAskedMs === undefined) return backoff;
  if (serverAskedMs > maxWaitMs) return undefined;
  return Math.max(backoff, serverAskedMs);
}
