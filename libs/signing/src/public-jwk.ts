import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { type JwsAlgorithm } from './domain/jws';
import { type PublicJwk } from './jwt-signer';

/**
 * The JWK of an RSA public key. `kid` defaults to the RFC 7638 SHA-256 thumbprint: it is stable for the
 * key's lifetime and the same in every replica, so nothing has to be coordinated to publish it.
 */
export async function publicJwkOf(
  key: KeyObject,
  alg: JwsAlgorithm,
  kid?: string,
): Promise<PublicJwk | undefined> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'rsa') return undefined;
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (n === undefined || e === undefined) return undefined;
  const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n, e }, 'sha256');
  return { kty: 'RSA', kid: kid ?? thumbprint, alg, use: 'sig', n, e };
}

/** docs/upstream-contract.md §3: `GetPublicKey` returns a DER SubjectPublicKeyInfo. */
export function publicKeyFromSpki(der: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
}
