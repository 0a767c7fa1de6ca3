import { decodeJwt, decodeProtectedHeader } from 'jose';
import { invalidAssertion, type Verdict } from './token-error';

export interface DecodedGrant {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Reads a grant's header and claims before anything is verified: they say which client and key to check. */
export function decodeGrant(assertion: string): Verdict<DecodedGrant> {
  // A JWS in compact serialisation has exactly three parts; a JWE (five) is not a grant.
  if (assertion.split('.').length !== 3)
    return invalidAssertion('MP-011', 'The assertion is not a signed JWT');
  try {
    const header = decodeProtectedHeader(assertion) as Record<string, unknown>;
    const claims = decodeJwt(assertion) as Record<string, unknown>;
    return { ok: true, value: { header, claims } };
  } catch {
    return invalidAssertion('MP-011', 'The assertion is not a signed JWT');
  }
}
