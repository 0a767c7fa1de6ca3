import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/**
 * The simulated Maskinporten's own token-signing key (RSA-3072, docs/upstream-contract.md §1). Altinn
 * verifies bearer tokens against it. Fresh per process: tokens do not outlive a simulator restart.
 */
export class IssuerKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  kid = '';
  publicJwk: JWK = { kty: 'RSA' };

  private constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  static async create(): Promise<IssuerKey> {
    const key = new IssuerKey();
    const jwk = await exportJWK(key.publicKey);
    key.kid = await calculateJwkThumbprint(jwk);
    key.publicJwk = { ...jwk, kid: key.kid, alg: 'RS256', use: 'sig' };
    return key;
  }
}
