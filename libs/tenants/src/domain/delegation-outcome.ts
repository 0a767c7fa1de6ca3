/** What the delegation check records for a scope Maskinporten refused. */
export interface DelegationFailure {
  /** The upstream's code when it gave one (`MP-251`), else the token client's (`maskinporten.unavailable`). */
  code: string;
  message: string;
  /** True when the same request may succeed later without anyone changing delegations (outage, timeout). */
  retryable: boolean;
}

/**
 * Reads a token failure structurally (the upstream failure shape of @gw/queue: code, upstreamCode,
 * retryable; and the maskinporten lib's description) so this lib needs no import of a lib above it.
 */
export function delegationFailure(error: unknown): DelegationFailure {
  if (typeof error !== 'object' || error === null) {
    return { code: 'unknown', message: String(error), retryable: false };
  }
  const fields = error as {
    code?: unknown;
    upstreamCode?: unknown;
    mpCode?: unknown;
    description?: unknown;
    message?: unknown;
    retryable?: unknown;
  };
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    code: text(fields.upstreamCode) ?? text(fields.mpCode) ?? text(fields.code) ?? 'unknown',
    message: text(fields.description) ?? text(fields.message) ?? 'no message',
    retryable: fields.retryable === true,
  };
}
