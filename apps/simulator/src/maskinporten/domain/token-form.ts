import { type Verdict, refuse } from './token-error';

/** docs/upstream-contract.md §1: the RFC 7523 grant type, the only one the token endpoint takes. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * docs/upstream-contract.md §1 "Token request": `POST /token` as `application/x-www-form-urlencoded` with
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`. A parameter sent twice arrives as
 * an array and is refused (RFC 6749 §3.2: parameters must not be repeated).
 */
export function readTokenForm(
  contentType: string | undefined,
  body: unknown,
): Verdict<{ assertion: string }> {
  if (!FORM_CONTENT_TYPE.test(contentType ?? '')) {
    return refuse('invalid_request', 'MP-011', 'The token request must be application/x-www-form-urlencoded');
  }
  const form = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const grantType = form.grant_type;
  if (grantType === undefined) return refuse('invalid_request', 'MP-011', 'Missing grant_type');
  if (typeof grantType !== 'string') return refuse('invalid_request', 'MP-011', 'grant_type is repeated');
  if (grantType !== JWT_BEARER_GRANT_TYPE) {
    return refuse('invalid_request', 'MP-011', `Unsupported grant_type ${grantType}`);
  }
  const assertion = form.assertion;
  if (assertion === undefined || assertion === '')
    return refuse('invalid_request', 'MP-011', 'Missing assertion');
  if (typeof assertion !== 'string') return refuse('invalid_request', 'MP-011', 'assertion is repeated');
  return { ok: true, value: { assertion } };
}
