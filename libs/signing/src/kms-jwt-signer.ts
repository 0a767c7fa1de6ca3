import { createHash } from 'node:crypto';
import { type JWTPayload } from 'jose';
import {
  compactJws,
  DIGEST_ALGORITHM,
  type JwsAlgorithm,
  jwsSigningInput,
  KMS_SIGNING_ALGORITHM,
} from './domain/jws';
import { signingErrorCodeForKms } from './domain/kms-error-code';
import { type KmsApi, type KmsConnectionOptions, sdkKmsApi } from './kms-api';
import { JwtSigner, type JwsHeaderInput, type PublicJwk, type PublicJwks } from './jwt-signer';
import { publicJwkOf, publicKeyFromSpki } from './public-jwk';
import { SigningError } from './signing.errors';

/** docs/upstream-contract.md §3: `Sign` takes at most 4096 bytes of message. */
const MAX_RAW_MESSAGE_BYTES = 4096;

export interface KmsJwtSignerOptions extends KmsConnectionOptions {
  /** The key that signs: key id, key ARN, `alias/<name>` or alias ARN. */
  activeKeyId: string;
  /**
   * Further keys whose public halves `publicJwks()` lists: the next key (registered at Maskinporten before
   * it becomes active) and the previous one (until tokens signed with it no longer matter).
   */
  publishedKeyIds?: string[];
  /** A fixed `kid` per key reference; default the RFC 7638 thumbprint of the public key. */
  kids?: Record<string, string>;
  /** Default RS256. */
  algorithm?: JwsAlgorithm;
  /**
   * DIGEST (default) sends the hash of the signing input, so the request stays small whatever the grant
   * holds; RAW sends the signing input itself (≤ 4096 bytes).
   */
  messageType?: 'RAW' | 'DIGEST';
  /**
   * How long a public key is trusted before `GetPublicKey` is asked again; default one hour. Its quota
   * is single digits per second (docs/upstream-contract.md §3), so it is never called per signature.
   */
  publicKeyTtlMs?: number;
  /** Replaces the SDK client (unit tests). */
  kms?: KmsApi;
  /** Clock for the public-key cache; default `Date.now`. */
  now?: () => number;
}

interface CachedPublicKey {
  /** The key ARN KMS resolved the reference to; `Sign` answers with the same ARN. */
  arn: string | undefined;
  jwk: PublicJwk;
  fetchedAt: number;
}

/**
 * Signs with an RSA key that never leaves AWS KMS: one `Sign` call per JWT over the JWS signing input
 * (docs/upstream-contract.md §3), the public key from a cached `GetPublicKey`.
 */
export class KmsJwtSigner extends JwtSigner {
  private readonly kms: KmsApi;
  private readonly algorithm: JwsAlgorithm;
  private readonly messageType: 'RAW' | 'DIGEST';
  private readonly publicKeyTtlMs: number;
  private readonly now: () => number;
  private readonly keyIds: string[];
  private readonly publicKeys = new Map<string, Promise<CachedPublicKey>>();

  constructor(private readonly options: KmsJwtSignerOptions) {
    super();
    if (options.activeKeyId.trim() === '') {
      throw new SigningError('signing.invalid_configuration', 'activeKeyId is empty');
    }
    this.kms = options.kms ?? sdkKmsApi(options);
    this.algorithm = options.algorithm ?? 'RS256';
    this.messageType = options.messageType ?? 'DIGEST';
    this.publicKeyTtlMs = options.publicKeyTtlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.keyIds = [...new Set([options.activeKeyId, ...(options.publishedKeyIds ?? [])])];
  }

  async sign(header: JwsHeaderInput, payload: JWTPayload): Promise<string> {
    const keyId = this.options.activeKeyId;
    // Two rounds at most: the second only when the alias moved to another key since we cached its kid.
    for (let round = 0; ; round += 1) {
      const key = await this.publicKey(keyId);
      const signingInput = jwsSigningInput(
        { ...withoutKeyParameters(header), alg: this.algorithm, kid: key.jwk.kid },
        payload,
      );
      const output = await this.callKms(keyId, () =>
        this.kms.sign({
          KeyId: keyId,
          Message: this.message(signingInput),
          MessageType: this.messageType,
          SigningAlgorithm: KMS_SIGNING_ALGORITHM[this.algorithm],
        }),
      );
      if (!output.Signature || output.Signature.length === 0) {
        throw new SigningError('signing.unavailable', 'KMS Sign returned no signature', { keyId });
      }
      const movedAlias = key.arn !== undefined && output.KeyId !== undefined && output.KeyId !== key.arn;
      if (movedAlias && round === 0) {
        this.publicKeys.delete(keyId);
        continue;
      }
      return compactJws(signingInput, output.Signature);
    }
  }

  async publicJwks(): Promise<PublicJwks> {
    const keys = await Promise.all(this.keyIds.map((keyId) => this.publicKey(keyId)));
    // Two references (alias and id) may name one key: publish it once.
    const unique = new Map(keys.map((key) => [key.jwk.kid, key.jwk]));
    return { keys: [...unique.values()] };
  }

  async activeKid(): Promise<string> {
    return (await this.publicKey(this.options.activeKeyId)).jwk.kid;
  }

  /** Lets the SDK close its sockets when the Nest module shuts down. */
  onModuleDestroy(): void {
    this.kms.destroy();
  }

  private message(signingInput: string): Uint8Array {
    if (this.messageType === 'DIGEST') {
      return createHash(DIGEST_ALGORITHM[this.algorithm]).update(signingInput, 'utf8').digest();
    }
    const raw = Buffer.from(signingInput, 'utf8');
    if (raw.length > MAX_RAW_MESSAGE_BYTES) {
      throw new SigningError(
        'signing.invalid_configuration',
        `The JWS signing input is ${raw.length} bytes, over KMS's 4096 for RAW messages; use DIGEST`,
        { keyId: this.options.activeKeyId },
      );
    }
    return raw;
  }

  /** One in-flight `GetPublicKey` per key, shared by concurrent callers; failures are not cached. */
  private publicKey(keyId: string): Promise<CachedPublicKey> {
    const cached = this.publicKeys.get(keyId);
    if (cached) {
      return cached.then((key) => {
        if (this.now() - key.fetchedAt < this.publicKeyTtlMs) return key;
        if (this.publicKeys.get(keyId) === cached) this.publicKeys.delete(keyId);
        return this.publicKey(keyId);
      });
    }
    const loading = this.loadPublicKey(keyId);
    this.publicKeys.set(keyId, loading);
    loading.catch(() => {
      if (this.publicKeys.get(keyId) === loading) this.publicKeys.delete(keyId);
    });
    return loading;
  }

  private async loadPublicKey(keyId: string): Promise<CachedPublicKey> {
    const output = await this.callKms(keyId, () => this.kms.getPublicKey(keyId));
    const kmsAlgorithm = KMS_SIGNING_ALGORITHM[this.algorithm];
    if (output.KeyUsage !== undefined && output.KeyUsage !== 'SIGN_VERIFY') {
      throw new SigningError('signing.key_unusable', `KMS key ${keyId} is not a SIGN_VERIFY key`, { keyId });
    }
    if (output.SigningAlgorithms !== undefined && !output.SigningAlgorithms.includes(kmsAlgorithm)) {
      throw new SigningError('signing.key_unusable', `KMS key ${keyId} does not support ${kmsAlgorithm}`, {
        keyId,
      });
    }
    if (!output.PublicKey) {
      throw new SigningError('signing.unavailable', `KMS GetPublicKey returned no key for ${keyId}`, {
        keyId,
      });
    }
    let jwk: PublicJwk | undefined;
    try {
      jwk = await publicJwkOf(
        publicKeyFromSpki(output.PublicKey),
        this.algorithm,
        this.options.kids?.[keyId],
      );
    } catch (cause) {
      throw new SigningError('signing.key_unusable', `KMS key ${keyId} has an unreadable public key`, {
        keyId,
        cause,
      });
    }
    if (!jwk) {
      throw new SigningError('signing.key_unusable', `KMS key ${keyId} is not an RSA key`, { keyId });
    }
    return { arn: output.KeyId, jwk, fetchedAt: this.now() };
  }

  private async callKms<T>(keyId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof SigningError) throw error;
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new SigningError(signingErrorCodeForKms(name), `KMS refused key ${keyId}: ${name}: ${message}`, {
        keyId,
        upstreamError: name,
        cause: error,
      });
    }
  }
}

function withoutKeyParameters(header: JwsHeaderInput): JwsHeaderInput {
  // A caller's alg/kid/x5c (through a loosely typed object) must never reach the signed header.
  const { typ, cty } = header;
  return { ...(typ === undefined ? {} : { typ }), ...(cty === undefined ? {} : { cty }) };
}
