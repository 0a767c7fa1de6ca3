/** Stable codes of the rate-limit lib. */
export type RateLimitErrorCode = 'rate_limit.exceeded';

/** Thrown when a tenant's bucket is empty; the gateway answers 429 with `Retry-After`. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
  readonly code = 'rate_limit.exceeded' satisfies RateLimitErrorCode;
  readonly problemExtensions: Record<string, unknown>;

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests for this tenant; retry after ${retryAfterSeconds} s`);
    this.problemExtensions = { retryAfterSeconds };
  }
}
