import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { KmsJwtSigner, type KmsJwtSignerOptions, SigningError } from '@gw/signing';
import { startTestSimulator, type TestSimulator } from '@test/simulator';

interface SimStats {
  kms: Record<string, number | undefined>;
}

describe('KmsJwtSigner against the simulated KMS', () => {
  let sim: TestSimulator;
  let admin: KMSClient;
  const signers: KmsJwtSigner[] = [];

  const connection = () => ({
    region: 'eu-north-1',
    endpoint: sim.baseUrl,
    credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
  });
  const signer = (options: Partial<KmsJwtSignerOptions> = {}) => {
    const created = new KmsJwtSigner({ ...connection(), activeKeyId: 'alias/sgw-maskinporten', ...options });
    signers.push(created);
    return created;
  };
  const kmsCalls = async (operation: string) =>
    (await sim.control<SimStats>('GET', '/_sim/stats')).kms[operation] ?? 0;
  const createKey = async () => {
    const { KeyMetadata } = await admin.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'sgw int-spec' }),
    );
    return KeyMetadata!.KeyId!;
  };

  beforeAll(async () => {
    sim = await startTestSimulator();
    admin = new KMSClient(connection());
  });

  afterEach(() => sim.control('DELETE', '/_sim/faults'));

  afterAll(async () => {
    signers.forEach((created) => created.onModuleDestroy());
    admin.destroy();
    await sim.close();
  });

  it.each(['RS256', 'RS384', 'RS512'] as const)(
    'signs an %s grant that jose verifies against the published JWKS',
    async (algorithm) => {
      const subject = signer({ algorithm });
      const jwt = await subject.sign({ typ: 'JWT' }, { iss: 'sgw-local-client', scope: 'a' });
      const { payload, protectedHeader } = await jwtVerify(
        jwt,
        createLocalJWKSet(await subject.publicJwks()),
        { algorithms: [algorithm] },
      );
      expect(payload).toEqual({ iss: 'sgw-local-client', scope: 'a' });
      expect(protectedHeader.kid).toBe(await subject.activeKid());
    },
  );

  it('signs with RAW messages too', async () => {
    const subject = signer({ messageType: 'RAW' });
    const jwt = await subject.sign({}, { scope: 'raw' });
    await expect(jwtVerify(jwt, createLocalJWKSet(await subject.publicJwks()))).resolves.toBeDefined();
  });

  it('calls GetPublicKey once and Sign once per JWT', async () => {
    const subject = signer();
    const publicKeysBefore = await kmsCalls('GetPublicKey');
    const signsBefore = await kmsCalls('Sign');
    await Promise.all(Array.from({ length: 10 }, (_, index) => subject.sign({}, { n: index })));
    await subject.publicJwks();
    expect((await kmsCalls('GetPublicKey')) - publicKeysBefore).toBe(1);
    expect((await kmsCalls('Sign')) - signsBefore).toBe(10);
  });

  it('publishes the next key beside the active one, and switching changes the kid', async () => {
    const nextKeyId = await createKey();
    const current = signer({ publishedKeyIds: [nextKeyId] });
    const { keys } = await current.publicJwks();
    expect(keys).toHaveLength(2);
    const switched = signer({ activeKeyId: nextKeyId, publishedKeyIds: ['alias/sgw-maskinporten'] });
    const jwt = await switched.sign({}, {});
    expect(decodeProtectedHeader(jwt).kid).toBe(keys[1].kid);
    await expect(jwtVerify(jwt, createLocalJWKSet({ keys }))).resolves.toBeDefined();
  });

  it('reports a disabled key as signing.key_disabled', async () => {
    const keyId = await createKey();
    const subject = signer({ activeKeyId: keyId });
    await subject.sign({}, {});
    await admin.send(new DisableKeyCommand({ KeyId: keyId }));
    const error = await subject.sign({}, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SigningError);
    expect(error).toMatchObject({ code: 'signing.key_disabled', upstreamError: 'DisabledException', keyId });
  });

  it('reports an unknown key as signing.key_not_found', async () => {
    await expect(signer({ activeKeyId: 'alias/no-such-key' }).sign({}, {})).rejects.toMatchObject({
      code: 'signing.key_not_found',
      upstreamError: 'NotFoundException',
    });
  });

  it('retries throttling and succeeds once KMS lets it through', async () => {
    const subject = signer();
    await subject.activeKid();
    await sim.control('PUT', '/_sim/faults', { upstream: 'kms', status: 400, forSeconds: 0.3 });
    const signsBefore = await kmsCalls('Sign');
    const jwt = await subject.sign({}, {});
    expect(jwt.split('.')).toHaveLength(3);
    expect((await kmsCalls('Sign')) - signsBefore).toBeGreaterThan(1);
  });

  it('gives up with signing.unavailable when KMS keeps failing with 5xx', async () => {
    const subject = signer({ maxAttempts: 2 });
    await subject.activeKid();
    await sim.control('PUT', '/_sim/faults', { upstream: 'kms', status: 500 });
    const signsBefore = await kmsCalls('Sign');
    await expect(subject.sign({}, {})).rejects.toMatchObject({
      code: 'signing.unavailable',
      upstreamError: 'KMSInternalException',
    });
    expect((await kmsCalls('Sign')) - signsBefore).toBe(2);
  });

  it('times out a stalled KMS and reports signing.unavailable', async () => {
    const subject = signer({ maxAttempts: 2, requestTimeoutMs: 200 });
    await subject.activeKid();
    await sim.control('PUT', '/_sim/faults', { upstream: 'kms', latencyMs: 1500 });
    await expect(subject.sign({}, {})).rejects.toMatchObject({ code: 'signing.unavailable' });
  });
});
