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
