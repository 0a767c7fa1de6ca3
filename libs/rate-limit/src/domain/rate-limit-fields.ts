/** A quota policy as the RateLimit-Policy field announces it: `quota` units per `windowSeconds`. */
export interface RateLimitPolicy {
  /** The policy's name, quoted as the field's item (`"tenant"`). */
  name: string;
  quota: number;
  windowSeconds: number;
}

/** What one request left of the policy's quota: `remaining` units, all restored in `resetSeconds`. */
export interface RateLimitState {
  remaining: number;
  resetSeconds: number;
}

/**
 * The `RateLimit-Policy` and `RateLimit` fields (IETF httpapi, draft-ietf-httpapi-ratelimit-headers):
 * structured-field lists of one item each, the policy's name as a string with integer parameters
 * (`q` quota, `w` window in seconds; `r` remaining, `t` seconds until the quota is restored).
 */
export function rateLimitFields(
  policy: RateLimitPolicy,
  state: RateLimitState,
): { 'RateLimit-Policy': string; RateLimit: string } {
  const name = `"${policy.name.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
  const integer = (value: number) => String(Math.max(0, Math.floor(value)));
  return {
    'RateLimit-Policy': `${name};q=${integer(policy.quota)};w=${integer(policy.windowSeconds)}`,
    RateLimit: `${name};r=${integer(state.remaining)};t=${integer(state.resetSeconds)}`,
  };
}
