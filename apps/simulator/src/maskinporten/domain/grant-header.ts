import { invalidAssertion, type Verdict } from './token-error';

/** docs/upstream-contract.md §1: RS256/RS384/RS512 only; no EC, no HMAC, no `none`. */
export const GRANT_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;
export type GrantAlgorithm = (typeof GRANT_ALGORITHMS)[number];

/** How the grant names the key that signed it: a registered key's `kid`, or a certificate chain. */
export type GrantKeyReference = { kind: 'kid'; kid: string } | { kind: 'x5c'; chain: string[] };

export interface GrantHeader {
  alg: GrantAlgorithm;
  key: GrantKeyReference;
}

// RFC 7515 §4.1.6: each x5c entry is standard base64 (not base64url) DER.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function isGrantAlgorithm(alg: unknown): alg is GrantAlgorithm {
  return typeof alg === 'string' && (GRANT_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * docs/upstream-contract.md §1 "Grant": `alg` ∈ RS256/RS384/RS512 and exactly one of `kid` (a key
 * registered on the client) or `x5c` (a business certificate chain, an array of strings).
 */
export function checkGrantHeader(header: Record<string, unknown>): Verdict<GrantHeader> {
  const { alg, kid, x5c } = header;
  if (!isGrantAlgorithm(alg)) {
    return invalidAssertion(
      'MP-011',
      `alg ${JSON.stringify(alg ?? null)} is not one of ${GRANT_ALGORITHMS.join(', ')}`,
    );
  }
  if (kid !== undefined && x5c !== undefined) {
    return invalidAssertion('MP-011', 'The JWT header has both kid and x5c; exactly one is allowed');
  }
  if (kid !== undefined) {
    if (typeof kid !== 'string' || kid === '')
      return invalidAssertion('MP-011', 'kid must be a non-empty string');
    return { ok: true, value: { alg, key: { kind: 'kid', kid } } };
  }
  if (x5c !== undefined) {
    if (
      !Array.isArray(x5c) ||
      x5c.length === 0 ||
      x5c.some((certificate) => typeof certificate !== 'string' || !BASE64.test(certificate))
    ) {
      return invalidAssertion('MP-011', 'x5c must be a non-empty array of base64 DER certificates');
    }
    return { ok: true, value: { alg, key: { kind: 'x5c', chain: x5c as string[] } } };
  }
  return invalidAssertion('MP-011', 'The JWT header has neither kid nor x5c; exactly one is required');
}
