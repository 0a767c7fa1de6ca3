// docs/upstream-contract.md#maskinporten-errors: HTTP 400 `{error, error_description, error_uri}`, the
// description carrying the reason and a `(trace_id: …)`, `error_uri` the issuer's `errors/<MP code>` (a TT02
// answer reads `"error_uri":"https://test.maskinporten.no/errors/MP-200"`; Digdir's troubleshooting page,
// https://docs.digdir.no/docs/Maskinporten/maskinporten_feilsoking, lists the codes).

export type OAuthError = 'invalid_request' | 'invalid_grant' | 'invalid_scope' | 'invalid_client';

/**
 * The MP codes the simulator answers with. MP-120 (a certificate problem) is not in the contract's list but
 * in Digdir's troubleshooting page, which the contract was read from.
 */
export type MpCode =
  | 'MP-011'
  | 'MP-012'
  | 'MP-100'
  | 'MP-110'
  | 'MP-120'
  | 'MP-121'
  | 'MP-124'
  | 'MP-130'
  | 'MP-200'
  | 'MP-201'
  | 'MP-251'
  | 'MP-301'
  | 'MP-302'
  | 'MP-303';

/** Why Maskinporten refuses a token request. */
export interface TokenRefusal {
  error: OAuthError;
  code: MpCode;
  reason: string;
}

/** A rule's verdict: the value it checked, or why it refuses. */
export type Verdict<T> = { ok: true; value: T } | { ok: false; refusal: TokenRefusal };

/** `<issuer>errors/MP-nnn`; the issuer ends in a slash. */
export function errorUri(issuer: string, code: MpCode): string {
  return `${issuer}errors/${code}`;
}

export function refuse(
  error: OAuthError,
  code: MpCode,
  reason: string,
): { ok: false; refusal: TokenRefusal } {
  return { ok: false, refusal: { error, code, reason } };
}

/**
 * "Invalid assertion" is how Maskinporten words every problem with the grant itself
 * (docs/upstream-contract.md §1).
 */
export function invalidAssertion(code: MpCode, detail: string): { ok: false; refusal: TokenRefusal } {
  return refuse('invalid_grant', code, `Invalid assertion. ${detail}`);
}

export interface TokenErrorBody {
  error: OAuthError;
  error_description: string;
  error_uri: string;
}

export function renderTokenError(refusal: TokenRefusal, issuer: string, traceId: string): TokenErrorBody {
  return {
    error: refusal.error,
    error_description: `${refusal.reason} (trace_id: ${traceId})`,
    error_uri: errorUri(issuer, refusal.code),
  };
}
