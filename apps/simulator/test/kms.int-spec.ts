import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  DryRunOperationException,
  EnableKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  InvalidMarkerException,
  KMSClient,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  KMSServiceException,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type SignCommandInput,
  UnsupportedOperationException,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { compactVerify, importSPKI } from 'jose';
import { startTestSimulator, type TestSimulator } from '@test/simulator';

const REGION = 'eu-north-1';
const ALL_RSA_ALGORITHMS = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];

function kmsClient(baseUrl: string, overrides: { region?: string; accessKeyId?: string } = {}): KMSClient {
  return new KMSClient({
    endpoint: baseUrl,
    region: overrides.region ?? REGION,
    credentials: { accessKeyId: overrides.accessKeyId ?? 'test', secretAccessKey: 'test' },
    // One attempt: the SDK would otherwise retry throttling and 5xx, which the fault tests count.
    maxAttempts: 1,
  });
}

/** The rejection of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await call;
  } catch (error) {
    return error as KMSServiceException;
  }
  throw new Error('expected the call to fail');
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function toPem(der: Uint8Array): string {
  const body = Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

describe('simulated AWS KMS', () => {
  let sim: TestSimulator;
  let kms: KMSClient;
  let aliasCounter = 0;

  beforeAll(async () => {
    sim = await startTestSimulator();
    kms = kmsClient(sim.baseUrl);
  });
  afterAll(async () => {
    kms.destroy();
    await sim.close();
  });

  async function createKey(input: Partial<CreateKeyCommandInput> = {}) {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', ...input }),
    );
    return KeyMetadata!;
  }

  async function createAliasedKey() {
    const key = await createKey();
    aliasCounter += 1;
    const aliasName = `alias/kms-test-${aliasCounter}`;
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId }));
    return { key, aliasName };
  }

  /** A JSON 1.1 call outside the SDK, with a well-formed but unverified SigV4 header unless told otherwise. */
  function rawCall(target: string, body: unknown, headers: Record<string, string | undefined> = {}) {
    const allHeaders: Record<string, string | undefined> = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      'x-amz-date': '20250101T000000Z',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${REGION}/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
      ...headers,
    };
    return fetch(`${sim.baseUrl}/`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(allHeaders).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  describe('keys and aliases', () => {
    it('creates an RSA signing key with the metadata AWS returns', async () => {
      const before = Date.now();
      const key = await createKey({ Description: 'grant signer' });

      expect(key).toMatchObject({
        AWSAccountId: '111122223333',
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'SIGN_VERIFY',
        KeySpec: 'RSA_2048',
        CustomerMasterKeySpec: 'RSA_2048',
        SigningAlgorithms: ALL_RSA_ALGORITHMS,
        Description: 'grant signer',
        KeyManager: 'CUSTOMER',
        Origin: 'AWS_KMS',
        MultiRegion: false,
      });
      expect(key.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(key.Arn).toBe(`arn:aws:kms:${REGION}:111122223333:key/${key.KeyId}`);
      expect(key.CreationDate).toBeInstanceOf(Date);
      expect(key.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('answers in application/x-amz-json-1.1 with CreationDate in epoch seconds', async () => {
      const key = await createKey();
      const response = await rawCall('TrentService.DescribeKey', { KeyId: key.KeyId });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      const body = (await response.json()) as { KeyMetadata: { CreationDate: unknown } };
      expect(typeof body.KeyMetadata.CreationDate).toBe('number');
      expect(body.KeyMetadata.CreationDate).toBeCloseTo(key.CreationDate!.getTime() / 1000, 0);
    });

    it('creates RSA_3072 and RSA_4096 keys whose public keys have that size', async () => {
      for (const [spec, bits] of [
        ['RSA_3072', 3072],
        ['RSA_4096', 4096],
      ] as const) {
        const key = await createKey({ KeySpec: spec });
        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
        const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
        expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
      }
    });

    it('resolves a key by id, key ARN, alias name and alias ARN', async () => {
      const { key, aliasName } = await createAliasedKey();
      const references = [key.KeyId!, key.Arn!, aliasName, `arn:aws:kms:${REGION}:111122223333:${aliasName}`];
      for (const KeyId of references) {
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId }));
        expect(KeyMetadata?.KeyId).toBe(key.KeyId);
      }
    });

    it('lists keys page by page through Limit and Marker', async () => {
      const created = [await createKey(), await createKey(), await createKey()].map((key) => key.KeyId);
      const seen: string[] = [];
      let Marker: string | undefined;
      let pages = 0;
      do {
        const page = await kms.send(new ListKeysCommand({ Limit: 2, Marker }));
        expect(page.Keys!.length).toBeLessThanOrEqual(2);
        page.Keys!.forEach((entry) => {
          expect(entry.KeyArn).toBe(`arn:aws:kms:${REGION}:111122223333:key/${entry.KeyId}`);
          seen.push(entry.KeyId!);
        });
        expect(page.Truncated).toBe(page.NextMarker !== undefined);
        Marker = page.NextMarker;
        pages += 1;
      } while (Marker);
      expect(pages).toBeGreaterThan(1);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(created));
    });

    it('refuses a Marker it did not hand out with InvalidMarkerException', async () => {
      const error = await failure(kms.send(new ListKeysCommand({ Marker: 'not-a-marker' })));
      expect(error).toBeInstanceOf(InvalidMarkerException);
    });

    it('lists aliases, all of them or those of one key', async () => {
      const { key, aliasName } = await createAliasedKey();
      await kms.send(new CreateAliasCommand({ AliasName: `${aliasName}-second`, TargetKeyId: key.Arn }));

      const all = await kms.send(new ListAliasesCommand({}));
      expect(all.Aliases).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ AliasName: 'alias/sgw-maskinporten' }),
          expect.objectContaining({ AliasName: aliasName, TargetKeyId: key.KeyId }),
        ]),
      );
      const ofKey = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
      expect(ofKey.Aliases).toEqual([
        {
          AliasName: aliasName,
          AliasArn: `arn:aws:kms:${REGION}:111122223333:${aliasName}`,
          TargetKeyId: key.KeyId,
        },
        {
          AliasName: `${aliasName}-second`,
          AliasArn: `arn:aws:kms:${REGION}:111122223333:${aliasName}-second`,
          TargetKeyId: key.KeyId,
        },
      ]);
    });

    it('refuses an alias that already exists with AlreadyExistsException', async () => {
      const { aliasName } = await createAliasedKey();
      const other = await createKey();
      const error = await failure(
        kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: other.KeyId })),
      );
      expect(error).toBeInstanceOf(AlreadyExistsException);
      expect(error.name).toBe('AlreadyExistsException');
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: aliasName }));
      expect(KeyMetadata?.KeyId).not.toBe(other.KeyId);
    });

    it.each([
      ['without the alias/ prefix', 'kms-test', 'ValidationException'],
      ['with the reserved alias/aws/ prefix', 'alias/aws/kms-test', 'NotAuthorizedException'],
      ['with characters outside [a-zA-Z0-9/_-]', 'alias/kms test', 'ValidationException'],
    ])('refuses an alias name %s', async (_case, AliasName, name) => {
      const key = await createKey();
      const error = await failure(kms.send(new CreateAliasCommand({ AliasName, TargetKeyId: key.KeyId })));
      expect(error).toBeInstanceOf(KMSServiceException);
      expect(error.name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it.each<[string, Partial<CreateKeyCommandInput>, string]>([
      ['an ECC key spec', { KeySpec: 'ECC_NIST_P256' }, 'UnsupportedOperationException'],
      [
        'an HMAC key',
        { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
        'UnsupportedOperationException',
      ],
      ['an RSA encryption key', { KeyUsage: 'ENCRYPT_DECRYPT' }, 'UnsupportedOperationException'],
      ['a multi-Region key', { MultiRegion: true }, 'UnsupportedOperationException'],
      ['an RSA key without KeyUsage', { KeyUsage: undefined }, 'ValidationException'],
      ['an RSA key with a MAC usage', { KeyUsage: 'GENERATE_VERIFY_MAC' }, 'ValidationException'],
      ['a key spec AWS does not know', { KeySpec: 'RSA_1024' as never }, 'ValidationException'],
    ])('refuses to create %s', async (_case, input, name) => {
      const error = await failure(createKey(input));
      expect(error.name).toBe(name);
      if (name === 'UnsupportedOperationException')
        expect(error).toBeInstanceOf(UnsupportedOperationException);
    });
  });

  describe('GetPublicKey, Sign and Verify', () => {
    it('returns the public key as DER SubjectPublicKeyInfo with its spec, usage and algorithms', async () => {
      const { key, aliasName } = await createAliasedKey();
      const result = await kms.send(new GetPublicKeyCommand({ KeyId: aliasName }));
      expect(result).toMatchObject({
        KeyId: key.Arn,
        KeySpec: 'RSA_2048',
        CustomerMasterKeySpec: 'RSA_2048',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ALL_RSA_ALGORITHMS,
      });
      const publicKey = createPublicKey({ key: Buffer.from(result.PublicKey!), format: 'der', type: 'spki' });
      expect(publicKey.asymmetricKeyType).toBe('rsa');
    });

    it.each([
      ['RSASSA_PKCS1_V1_5_SHA_256', 'RS256', 'RAW'],
      ['RSASSA_PKCS1_V1_5_SHA_256', 'RS256', 'DIGEST'],
      ['RSASSA_PKCS1_V1_5_SHA_384', 'RS384', 'DIGEST'],
      ['RSASSA_PKCS1_V1_5_SHA_512', 'RS512', 'RAW'],
      ['RSASSA_PSS_SHA_256', 'PS256', 'RAW'],
      ['RSASSA_PSS_SHA_256', 'PS256', 'DIGEST'],
      ['RSASSA_PSS_SHA_384', 'PS384', 'RAW'],
      ['RSASSA_PSS_SHA_512', 'PS512', 'DIGEST'],
    ] as const)(
      'signs a JWS with %s (%s) over a %s message that jose verifies',
      async (algorithm, alg, type) => {
        const { key, aliasName } = await createAliasedKey();
        const payload = { iss: 'sgw', aud: 'https://test.maskinporten.no/', jti: `${alg}-${type}` };
        const signingInput = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
        const Message =
          type === 'RAW'
            ? Buffer.from(signingInput)
            : createHash(`sha${alg.slice(2)}`)
                .update(signingInput)
                .digest();

        const signed = await kms.send(
          new SignCommand({ KeyId: aliasName, Message, MessageType: type, SigningAlgorithm: algorithm }),
        );
        expect(signed.KeyId).toBe(key.Arn);
        expect(signed.SigningAlgorithm).toBe(algorithm);

        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
        const jws = `${signingInput}.${b64url(Buffer.from(signed.Signature!))}`;
        const verified = await compactVerify(jws, await importSPKI(toPem(PublicKey!), alg));
        expect(JSON.parse(Buffer.from(verified.payload).toString('utf8'))).toEqual(payload);
      },
    );

    it('signs RAW by default, so that node:crypto verifies the message itself', async () => {
      const key = await createKey();
      const message = Buffer.from('header.payload');
      const signed = await kms.send(
        new SignCommand({
          KeyId: key.KeyId,
          Message: message,
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      );
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
      expect(verify('sha256', message, publicKey, Buffer.from(signed.Signature!))).toBe(true);
    });

    it('verifies its own signatures and refuses a tampered one with KMSInvalidSignatureException', async () => {
      const key = await createKey();
      const input: SignCommandInput = {
        KeyId: key.KeyId,
        Message: Buffer.from('header.payload'),
        SigningAlgorithm: 'RSASSA_PSS_SHA_256',
      };
      const { Signature } = await kms.send(new SignCommand(input));
      const valid = await kms.send(new VerifyCommand({ ...input, Signature }));
      expect(valid).toMatchObject({
        KeyId: key.Arn,
        SignatureValid: true,
        SigningAlgorithm: 'RSASSA_PSS_SHA_256',
      });

      const tampered = Buffer.from(Signature!);
      tampered[10] ^= 0xff;
      const error = await failure(kms.send(new VerifyCommand({ ...input, Signature: tampered })));
      expect(error).toBeInstanceOf(KMSInvalidSignatureException);
    });

    it.each([
      ['RSASSA_PKCS1_V1_5_SHA_256', 48],
      ['RSASSA_PSS_SHA_256', 31],
      ['RSASSA_PKCS1_V1_5_SHA_512', 32],
    ] as const)(
      'refuses a %s DIGEST of %i bytes with ValidationException',
      async (SigningAlgorithm, length) => {
        const key = await createKey();
        const error = await failure(
          kms.send(
            new SignCommand({
              KeyId: key.KeyId,
              Message: Buffer.alloc(length, 1),
              MessageType: 'DIGEST',
              SigningAlgorithm,
            }),
          ),
        );
        expect(error).toBeInstanceOf(KMSServiceException);
        expect(error.name).toBe('ValidationException');
        expect(error.message).toMatch(/Digest is invalid length/);
      },
    );

    it('refuses a RAW message over 4096 bytes with a ValidationException naming Message', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(
          new SignCommand({
            KeyId: key.KeyId,
            Message: Buffer.alloc(4097),
            SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain("at 'message'");
    });

    it('refuses missing and invalid parameters with a ValidationException naming each', async () => {
      const response = await rawCall('TrentService.Sign', { Message: 'aGk=', SigningAlgorithm: 'RS256' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { __type: string; message: string };
      expect(body.__type).toBe('ValidationException');
      expect(body.message).toMatch(/^2 validation errors detected: /);
      expect(body.message).toContain(
        "Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
      expect(body.message).toContain("Value 'RS256' at 'signingAlgorithm'");
    });

    it('refuses an ECDSA algorithm on an RSA key with InvalidKeyUsageException', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(
          new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('x'), SigningAlgorithm: 'ECDSA_SHA_256' }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidKeyUsageException);
    });

    it('answers a DryRun Sign with DryRunOperationException and no signature', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(
          new SignCommand({
            KeyId: key.KeyId,
            Message: Buffer.from('x'),
            SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
            DryRun: true,
          }),
        ),
      );
      expect(error).toBeInstanceOf(DryRunOperationException);
    });
  });

  describe('key states', () => {
    const sign = (KeyId: string) =>
      kms.send(
        new SignCommand({ KeyId, Message: Buffer.from('x'), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
      );

    it('refuses Sign and GetPublicKey on a disabled key with DisabledException until it is enabled again', async () => {
      const { key, aliasName } = await createAliasedKey();
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));

      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: aliasName }));
      expect(KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
      const signError = await failure(sign(aliasName));
      expect(signError).toBeInstanceOf(DisabledException);
      expect(signError.name).toBe('DisabledException');
      expect(signError.$metadata.httpStatusCode).toBe(400);
      expect(await failure(kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId })))).toBeInstanceOf(
        DisabledException,
      );

      await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
      await expect(sign(aliasName)).resolves.toMatchObject({ KeyId: key.Arn });
    });

    it('refuses every use of a key pending deletion with KMSInvalidStateException; cancelling leaves it Disabled', async () => {
      const key = await createKey();
      const before = Date.now();
      const scheduled = await kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }),
      );
      expect(scheduled).toMatchObject({
        KeyId: key.Arn,
        KeyState: 'PendingDeletion',
        PendingWindowInDays: 7,
      });
      expect(scheduled.DeletionDate!.getTime()).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1000);

      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      expect(KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
      expect(KeyMetadata?.DeletionDate).toEqual(scheduled.DeletionDate);
      for (const call of [
        sign(key.KeyId!),
        kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId })),
        kms.send(new EnableKeyCommand({ KeyId: key.KeyId })),
        kms.send(new CreateAliasCommand({ AliasName: 'alias/kms-test-doomed', TargetKeyId: key.KeyId })),
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId })),
      ]) {
        const error = await failure(call);
        expect(error).toBeInstanceOf(KMSInvalidStateException);
        expect(error.name).toBe('KMSInvalidStateException');
      }

      await expect(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))).resolves.toMatchObject({
        KeyId: key.Arn,
      });
      const after = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      expect(after.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
      expect(after.KeyMetadata?.DeletionDate).toBeUndefined();
    });

    it('refuses CancelKeyDeletion for a key that is not pending deletion', async () => {
      const key = await createKey();
      const error = await failure(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })));
      expect(error).toBeInstanceOf(KMSInvalidStateException);
    });

    it.each([6, 31])('refuses a PendingWindowInDays of %i with ValidationException', async (days) => {
      const key = await createKey();
      const error = await failure(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: days })),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain("'pendingWindowInDays'");
    });

    it('forgets a key once its deletion date has passed on the simulated clock', async () => {
      const { key, aliasName } = await createAliasedKey();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      await sim.control('PUT', '/_sim/clock', { offsetSeconds: 8 * 86_400 });
      try {
        expect(await failure(kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })))).toBeInstanceOf(
          NotFoundException,
        );
        expect(await failure(kms.send(new DescribeKeyCommand({ KeyId: aliasName })))).toBeInstanceOf(
          NotFoundException,
        );
        const { Keys } = await kms.send(new ListKeysCommand({ Limit: 1000 }));
        expect(Keys?.map((entry) => entry.KeyId)).not.toContain(key.KeyId);
      } finally {
        await sim.control('PUT', '/_sim/clock', { offsetSeconds: 0 });
      }
    });

    it.each([
      ['an unknown key id', '0195f0e4-0000-7000-8000-000000000000'],
      ['an unknown alias', 'alias/kms-test-missing'],
      [
        'an ARN of another region',
        `arn:aws:kms:us-east-1:111122223333:key/0195f0e4-0000-7000-8000-000000000000`,
      ],
    ])('refuses %s with NotFoundException', async (_case, KeyId) => {
      const error = await failure(sign(KeyId));
      expect(error).toBeInstanceOf(NotFoundException);
      expect(error.name).toBe('NotFoundException');
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses a key of another region even when its id exists here', async () => {
      const key = await createKey();
      const error = await failure(sign(key.Arn!.replace(`:${REGION}:`, ':eu-west-1:')));
      expect(error).toBeInstanceOf(NotFoundException);
    });
  });

  describe('protocol', () => {
    it('refuses a request without Authorization with MissingAuthenticationTokenException', async () => {
      const key = await createKey();
      const response = await rawCall(
        'TrentService.DescribeKey',
        { KeyId: key.KeyId },
        { authorization: undefined },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    });

    it.each([
      ['a bearer token', 'Bearer abc'],
      [
        'a SigV4 header without Signature',
        `AWS4-HMAC-SHA256 Credential=test/20250101/${REGION}/kms/aws4_request, SignedHeaders=host`,
      ],
    ])('refuses %s in Authorization with IncompleteSignatureException', async (_case, authorization) => {
      const response = await rawCall('TrentService.ListKeys', {}, { authorization });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
    });

    it('accepts any static credentials, since the signature value is not verified', async () => {
      const other = kmsClient(sim.baseUrl, { accessKeyId: 'AKIAANYOTHERKEY' });
      await expect(other.send(new ListKeysCommand({}))).resolves.toMatchObject({ Keys: expect.any(Array) });
      other.destroy();
    });

    it('refuses a signature scoped to another region with InvalidSignatureException', async () => {
      const other = kmsClient(sim.baseUrl, { region: 'us-east-1' });
      const error = await failure(other.send(new ListKeysCommand({})));
      other.destroy();
      expect(error.name).toBe('InvalidSignatureException');
    });

    it('answers a KMS operation it does not implement with UnsupportedOperationException', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(
          new GenerateMacCommand({
            KeyId: key.KeyId,
            Message: Buffer.from('x'),
            MacAlgorithm: 'HMAC_SHA_256',
          }),
        ),
      );
      expect(error).toBeInstanceOf(UnsupportedOperationException);
    });

    it('answers a target outside TrentService with UnknownOperationException', async () => {
      const response = await rawCall('DynamoDB_20120810.ListTables', {});
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    });

    it('refuses a body that is not application/x-amz-json-1.1', async () => {
      const response = await rawCall('TrentService.ListKeys', {}, { 'content-type': 'application/json' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    });
  });

  describe('faults and counters', () => {
    it('lets the SDK see ThrottlingException while a 400 fault is set on kms', async () => {
      const key = await createKey();
      await sim.control('PUT', '/_sim/faults', { upstream: 'kms', status: 400 });
      try {
        const error = await failure(
          kms.send(
            new SignCommand({
              KeyId: key.KeyId,
              Message: Buffer.from('x'),
              SigningAlgorithm: 'RSASSA_PSS_SHA_256',
            }),
          ),
        );
        expect(error).toBeInstanceOf(KMSServiceException);
        expect(error.name).toBe('ThrottlingException');
        expect(error.message).toMatch(/rate at which you may call KMS/);
      } finally {
        await sim.control('DELETE', '/_sim/faults');
      }
    });

    it('counts KMS calls by operation, refused ones included', async () => {
      const key = await createKey();
      await sim.control('DELETE', '/_sim/stats');
      await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      await kms.send(
        new SignCommand({
          KeyId: key.KeyId,
          Message: Buffer.from('a'),
          SigningAlgorithm: 'RSASSA_PSS_SHA_256',
        }),
      );
      await failure(
        kms.send(
          new SignCommand({
            KeyId: 'alias/kms-test-missing',
            Message: Buffer.from('a'),
            SigningAlgorithm: 'RSASSA_PSS_SHA_256',
          }),
        ),
      );
      await rawCall('TrentService.Sign', {}, { authorization: undefined });

      const stats = await sim.control<{ kms: Record<string, number> }>('GET', '/_sim/stats');
      expect(stats.kms).toEqual({ GetPublicKey: 1, Sign: 3 });
    });
  });

  it('keeps keys and aliases across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sgw-kms-restart-'));
    try {
      const first = await startTestSimulator({ SIMULATOR_DATA_DIR: dataDir });
      const firstClient = kmsClient(first.baseUrl);
      const { KeyMetadata } = await firstClient.send(
        new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
      );
      await firstClient.send(
        new CreateAliasCommand({ AliasName: 'alias/kms-test-durable', TargetKeyId: KeyMetadata!.KeyId }),
      );
      const before = await firstClient.send(new GetPublicKeyCommand({ KeyId: 'alias/kms-test-durable' }));
      firstClient.destroy();
      await first.close();

      const second = await startTestSimulator({ SIMULATOR_DATA_DIR: dataDir });
      const secondClient = kmsClient(second.baseUrl);
      try {
        const after = await secondClient.send(new GetPublicKeyCommand({ KeyId: 'alias/kms-test-durable' }));
        expect(after.KeyId).toBe(KeyMetadata!.Arn);
        expect(Buffer.from(after.PublicKey!)).toEqual(Buffer.from(before.PublicKey!));
        const message = Buffer.from('still me');
        const signed = await secondClient.send(
          new SignCommand({
            KeyId: KeyMetadata!.KeyId,
            Message: message,
            SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
          }),
        );
        const publicKey = createPublicKey({
          key: Buffer.from(before.PublicKey!),
          format: 'der',
          type: 'spki',
        });
        expect(verify('sha256', message, publicKey, Buffer.from(signed.Signature!))).toBe(true);
      } finally {
        secondClient.destroy();
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
