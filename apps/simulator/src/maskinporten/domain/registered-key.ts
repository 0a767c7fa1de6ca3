import { type GrantAlgorithm } from './grant-header';
import { invalidAssertion, type Verdict } from './token-error';

/** A public key registered on a client, as the token endpoint matches it against a grant. */
export interface RegisteredKey {
  /** The `kid` it was registered under. */
  kid?: string;
  /** RFC 7638 SHA-256 thumbprint of the public key: how a certificate's key is matched. */
  thumbprint: string;
  /** When registered with an `alg`, the key signs only with that algorithm. */
  alg?: string;
  /** Unix seconds; docs/upstream-contract.md §1: keys expire one year after upload (MP-121). */
  expiresAt?: number;
}

export type KeyMatch = { kind: 'kid'; kid: string } | { kind: 'certificate'; thumbprint: string };

/**
 * docs/upstream-contract.md §1: the grant's `kid` must name a key registered on the client, or its `x5c` leaf
 * certificate must carry one; that key must not have expired (MP-121).
 */
export function selectRegisteredKey<Key extends RegisteredKey>(
  keys: readonly Key[],
  match: KeyMatch,
  alg: GrantAlgorithm,
  nowSeconds: number,
): Verdict<Key> {
  const key =
    match.kind === 'kid'
      ? keys.find((candidate) => candidate.kid === match.kid)
      : keys.find((candidate) => candidate.thumbprint === match.thumbprint);
  if (!key) {
    return match.kind === 'kid'
      ? invalidAssertion(
          'MP-124',
          `Client authentication failed. No key with kid ${match.kid} is registered on the client`,
        )
      : invalidAssertion(
          'MP-120',
          'Client authentication failed. The certificate in x5c is not registered on the client',
        );
  }
  if (key.expiresAt !== undefined && key.expiresAt <= nowSeconds) {
    return invalidAssertion('MP-121', 'Client authentication failed. Expired key');
  }
  if (key.alg !== undefined && key.alg !== alg) {
    return invalidAssertion(
      'MP-124',
      `Client authentication failed. The key is registered for ${key.alg}, not ${alg}`,
    );
  }
  return { ok: true, value: key };
}

/** A business certificate outside its validity period cannot authenticate a client. */
export function checkCertificatePeriod(validFrom: Date, validTo: Date, now: Date): Verdict<null> {
  if (now < validFrom || now > validTo) {
    return invalidAssertion(
      'MP-120',
      'Client authentication failed. The JWT is signed with an invalid certificate',
    );
  }
  return { ok: true, value: null };
}
