import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  sign as cryptoSign,
} from 'node:crypto';
import { DisabledException, NotFoundException } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type KmsApi, type KmsSignInput } from './kms-api';
import { KmsJwtSigner } from './kms-jwt-signer';
import { SigningError } from './signing.errors';

interface FakeKey {
  arn: string;
  privateKey: KeyObject;
  usage?: string;
}

/** A hand-written KMS: keys by reference, call counters, and a hook to fail the next calls. */
class FakeKms implements KmsApi {
  readonly signInputs: KmsSignInput[] = [];
  getPublicKeyCalls = 0;
  failWith: Error | undefined;

  constructor(readonly keys: Map<string, FakeKey>) {}

  sign(input: KmsSignInput) {
    this.signInputs.push(input);
    if (this.failWith) return Promise.reject(this.failWith);
    const key = this.keys.get(input.KeyId);
    if (!key) return Promise.reject(new NotFoundException({ message: 'not found', $metadata: {} }));
    const hash = input.SigningAlgorithm.replace('RSASSA_PKCS1_V1_5_SHA_', 'sha');
    // With DIGEST the message is already the hash: sign it as a prehashed PKCS#1 v1.5 DigestInfo.
    const signature =
      input.MessageType === 'RAW'
        ? cryptoSign(hash, input.Message, key.privateKey)
        : signDigest(hash, Buffer.from(input.Message), key.privateKey);
    return Promise.resolve({ KeyId: key.arn, Signature: signature });
  }

  getPublicKey(keyId: string) {
    this.getPublicKeyCalls += 1;
    if (this.failWith) return Promise.reject(this.failWith);
    const key = this.keys.get(keyId);
    if (!key) return Promise.reject(new NotFoundException({ message: 'not found', $metadata: {} }));
    return Promise.resolve({
      KeyId: key.arn,
      PublicKey: createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }),
      KeyUsage: key.usage ?? 'SIGN_VERIFY',
      SigningAlgorithms: [
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ],
    });
  }

  destroy(): void {}
}

/** RFC 8017 §9.2: the DER DigestInfo prefix per hash, as KMS prepends it to a DIGEST message. */
const DIGEST_INFO_PREFIX: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function signDigest(hash: string, digest: Buffer, privateKey: KeyObject): Buffer {
  const digestInfo = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), digest]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
}

function rsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

const ARN_A = 'arn:aws:kms:eu-north-1:111122223333:key/aaaa';
const ARN_B = 'arn:aws:kms:eu-north-1:111122223333:key/bbbb';

describe('KmsJwtSigner', () => {
  const keyA = rsaKey();
  const keyB = rsaKey();
  let kms: FakeKms;

  beforeEach(() => {
    kms = new FakeKms(
      new Map([
        ['alias/active', { arn: ARN_A, privateKey: keyA }],
        ['alias/next', { arn: ARN_B, privateKey: keyB }],
      ]),
    );
  });

  const signer = (options: Partial<ConstructorParameters<typeof KmsJwtSigner>[0]> = {}) =>
    new KmsJwtSigner({ region: 'eu-north-1', activeKeyId: 'alias/active', kms, ...options });

  it.each(['RS256', 'RS384', 'RS512'] as const)(
    'signs an %s JWT that verifies against the published JWKS',
    async (algorithm) => {
      const subject = signer({ algorithm });
      const jwt = await subject.sign({ typ: 'JWT' }, { iss: 'client', scope: 'a b' });
      const { payload, protectedHeader } = await jwtVerify(
        jwt,
        createLocalJWKSet(await subject.publicJwks()),
        {
          algorithms: [algorithm],
        },
      );
      expect(payload).toEqual({ iss: 'client', scope: 'a b' });
      expect(protectedHeader).toEqual({ typ: 'JWT', alg: algorithm, kid: await subject.activeKid() });
    },
  );

  it('uses the RFC 7638 thumbprint as kid unless one is configured', async () => {
    const { keys } = await signer().publicJwks();
    expect(keys[0].kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: keys[0].n, e: keys[0].e }));
    const configured = signer({ kids: { 'alias/active': 'provider-2025' } });
    const jwt = await configured.sign({}, {});
    expect(decodeProtectedHeader(jwt).kid).toBe('provider-2025');
  });

  it('sends KMS the SHA-256 digest of the signing input with DIGEST, the input itself with RAW', async () => {
    const jwt = await signer().sign({}, { scope: 's' });
    const signingInput = jwt.split('.').slice(0, 2).join('.');
    expect(kms.signInputs[0]).toMatchObject({
      KeyId: 'alias/active',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
    expect(Buffer.from(kms.signInputs[0].Message)).toEqual(
      createHash('sha256').update(signingInput).digest(),
    );

    const raw = await signer({ messageType: 'RAW' }).sign({}, { scope: 's' });
    expect(Buffer.from(kms.signInputs[1].Message).toString()).toBe(raw.split('.').slice(0, 2).join('.'));
  });

  it('never lets the caller choose alg or kid', async () => {
    const subject = signer();
    const header = { typ: 'JWT', alg: 'none', kid: 'evil', x5c: ['x'] } as unknown as { typ: string };
    const jwt = await subject.sign(header, {});
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'JWT', alg: 'RS256', kid: await subject.activeKid() });
  });

  it('asks GetPublicKey once for many signatures, concurrent ones included', async () => {
    const subject = signer();
    await Promise.all(Array.from({ length: 20 }, () => subject.sign({}, {})));
    await subject.sign({}, {});
    await subject.publicJwks();
    expect(kms.getPublicKeyCalls).toBe(1);
    expect(kms.signInputs).toHaveLength(21);
  });

  it('asks GetPublicKey again once the cached key is older than its TTL', async () => {
    let now = 0;
    const subject = signer({ publicKeyTtlMs: 1000, now: () => now });
    await subject.sign({}, {});
    now = 999;
    await subject.sign({}, {});
    now = 1000;
    await subject.sign({}, {});
    expect(kms.getPublicKeyCalls).toBe(2);
  });

  it('signs again with the new kid when the alias has moved to another key', async () => {
    const subject = signer();
    const before = await subject.activeKid();
    kms.keys.set('alias/active', { arn: ARN_B, privateKey: keyB });
    const jwt = await subject.sign({}, {});
    const after = await subject.activeKid();
    expect(after).not.toBe(before);
    expect(decodeProtectedHeader(jwt).kid).toBe(after);
    await jwtVerify(jwt, createLocalJWKSet(await subject.publicJwks()));
  });

  it('publishes the active key first, then the next one, each once', async () => {
    const subject = signer({ publishedKeyIds: ['alias/next', 'alias/active'] });
    const { keys } = await subject.publicJwks();
    expect(keys.map((key) => key.kid)).toEqual([
      await subject.activeKid(),
      (await signer({ activeKeyId: 'alias/next' }).publicJwks()).keys[0].kid,
    ]);
    expect(keys.every((key) => key.kty === 'RSA' && key.use === 'sig' && key.alg === 'RS256')).toBe(true);
    expect(keys.some((key) => 'd' in key)).toBe(false);
  });

  it.each([
    [new DisabledException({ message: 'key is disabled', $metadata: {} }), 'signing.key_disabled'],
    [new NotFoundException({ message: 'no such key', $metadata: {} }), 'signing.key_not_found'],
    [Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' }), 'signing.unavailable'],
  ])('turns KMS %s into %s with the upstream name kept', async (error, code) => {
    kms.failWith = error;
    const failure = await signer()
      .sign({}, {})
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(SigningError);
    expect(failure).toMatchObject({ code, keyId: 'alias/active', upstreamError: error.name });
  });

  it('does not cache a failed GetPublicKey', async () => {
    const subject = signer();
    kms.failWith = new DisabledException({ message: 'disabled', $metadata: {} });
    await expect(subject.sign({}, {})).rejects.toMatchObject({ code: 'signing.key_disabled' });
    kms.failWith = undefined;
    await expect(subject.sign({}, {})).resolves.toEqual(expect.any(String));
  });

  it('refuses a key that cannot sign with the configured algorithm', async () => {
    kms.keys.set('alias/active', { arn: ARN_A, privateKey: keyA, usage: 'ENCRYPT_DECRYPT' });
    await expect(signer().sign({}, {})).rejects.toMatchObject({ code: 'signing.key_unusable' });
  });

  it('names a missing key', async () => {
    await expect(signer({ activeKeyId: 'alias/missing' }).sign({}, {})).rejects.toMatchObject({
      code: 'signing.key_not_found',
      keyId: 'alias/missing',
    });
  });
});
