import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DecryptCommand,
  type DecryptCommandInput,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  DryRunOperationException,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetPublicKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidStateException,
  type KMSServiceException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UnsupportedOperationException,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { startTestSimulator, type TestSimulator } from '@test/simulator';

const REGION = 'eu-north-1';
const CONTEXT = { purpose: 'samtykke-gateway/personal-data', 'key-id': 'k1' };

function kmsClient(baseUrl: string): KMSClient {
  return new KMSClient({
    endpoint: baseUrl,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

async function failure(call: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await call;
  } catch (error) {
    return error as KMSServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('simulated AWS KMS: symmetric keys, Encrypt, Decrypt and GenerateDataKey', () => {
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
    const { KeyMetadata } = await kms.send(new CreateKeyCommand(input));
    return KeyMetadata!;
  }

  async function createAliasedKey() {
    const key = await createKey();
    aliasCounter += 1;
    const aliasName = `alias/kms-encryption-test-${aliasCounter}`;
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId }));
    return { key, aliasName };
  }

  async function encrypt(KeyId: string, plaintext = 'a data key', EncryptionContext = CONTEXT) {
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId, Plaintext: Buffer.from(plaintext), EncryptionContext }),
    );
    return Buffer.from(CiphertextBlob!);
  }

  const decrypt = (input: DecryptCommandInput) => kms.send(new DecryptCommand(input));

  describe('CreateKey', () => {
    it('creates a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key when no KeySpec is given, as AWS does', async () => {
      const key = await createKey({ Description: 'personal data' });
      expect(key).toMatchObject({
        KeySpec: 'SYMMETRIC_DEFAULT',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        KeyState: 'Enabled',
        Description: 'personal data',
      });
      expect(key.SigningAlgorithms).toBeUndefined();
      expect(key.Arn).toBe(`arn:aws:kms:${REGION}:111122223333:key/${key.KeyId}`);
    });

    it('creates the same key when KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT are given', async () => {
      const key = await createKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
      expect(key).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
    });

    it.each(['SIGN_VERIFY', 'GENERATE_VERIFY_MAC'] as const)(
      'refuses a symmetric key with KeyUsage %s with ValidationException',
      async (KeyUsage) => {
        const error = await failure(createKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage }));
        expect(error.name).toBe('ValidationException');
      },
    );

    it('seeds alias/sgw-personal-data as a symmetric key for the gateway’s data keys', async () => {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/sgw-personal-data' }));
      expect(KeyMetadata).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
    });
  });

  describe('Encrypt and Decrypt', () => {
    it('decrypts what it encrypted, naming the key by ARN, with no KeyId needed', async () => {
      const { key, aliasName } = await createAliasedKey();
      const encrypted = await kms.send(
        new EncryptCommand({
          KeyId: aliasName,
          Plaintext: Buffer.from('a data key'),
          EncryptionContext: CONTEXT,
        }),
      );
      expect(encrypted).toMatchObject({ KeyId: key.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
      const blob = Buffer.from(encrypted.CiphertextBlob!);
      expect(blob.toString('latin1')).not.toContain('a data key');

      const decrypted = await decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT });
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('a data key');
      expect(decrypted).toMatchObject({ KeyId: key.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    });

    it('decrypts with a KeyId that names the same key by id, ARN, alias or alias ARN', async () => {
      const { key, aliasName } = await createAliasedKey();
      const blob = await encrypt(key.KeyId!);
      for (const KeyId of [
        key.KeyId!,
        key.Arn!,
        aliasName,
        `arn:aws:kms:${REGION}:111122223333:${aliasName}`,
      ]) {
        const { Plaintext } = await decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT, KeyId });
        expect(Buffer.from(Plaintext!).toString()).toBe('a data key');
      }
    });

    it('encrypts the same plaintext to a different blob each time', async () => {
      const key = await createKey();
      expect((await encrypt(key.KeyId!)).equals(await encrypt(key.KeyId!))).toBe(false);
    });

    it('accepts the encryption context’s pairs in any order', async () => {
      const key = await createKey();
      const blob = await encrypt(key.KeyId!);
      const reordered = { 'key-id': CONTEXT['key-id'], purpose: CONTEXT.purpose };
      await expect(decrypt({ CiphertextBlob: blob, EncryptionContext: reordered })).resolves.toMatchObject({
        KeyId: key.Arn,
      });
    });

    it.each<[string, Record<string, string> | undefined]>([
      ['no encryption context', undefined],
      ['another value', { ...CONTEXT, 'key-id': 'k2' }],
      ['a pair left out', { purpose: CONTEXT.purpose }],
      ['an extra pair', { ...CONTEXT, tenant: 'x' }],
      ['a key in another case', { Purpose: CONTEXT.purpose, 'key-id': CONTEXT['key-id'] }],
    ])('refuses to decrypt under %s with InvalidCiphertextException', async (_case, EncryptionContext) => {
      const key = await createKey();
      const blob = await encrypt(key.KeyId!);
      const error = await failure(decrypt({ CiphertextBlob: blob, EncryptionContext }));
      expect(error).toBeInstanceOf(InvalidCiphertextException);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses a blob made without a context when a context is given', async () => {
      const key = await createKey();
      const { CiphertextBlob } = await kms.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }),
      );
      await expect(decrypt({ CiphertextBlob })).resolves.toMatchObject({ KeyId: key.Arn });
      expect(await failure(decrypt({ CiphertextBlob, EncryptionContext: CONTEXT }))).toBeInstanceOf(
        InvalidCiphertextException,
      );
    });

    it.each([0, 1, 17, 29, 45, -1])(
      'refuses a blob with byte %i changed with InvalidCiphertextException (the blob is authenticated)',
      async (index) => {
        const key = await createKey();
        const blob = await encrypt(key.KeyId!);
        const position = index < 0 ? blob.length + index : index;
        blob[position] ^= 0x01;
        expect(await failure(decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }))).toBeInstanceOf(
          InvalidCiphertextException,
        );
      },
    );

    it('refuses bytes that are no blob of its own with InvalidCiphertextException', async () => {
      const error = await failure(
        decrypt({ CiphertextBlob: Buffer.from('not a kms ciphertext blob at all') }),
      );
      expect(error).toBeInstanceOf(InvalidCiphertextException);
    });

    it('refuses a KeyId other than the key that encrypted with IncorrectKeyException', async () => {
      const key = await createKey();
      const other = await createKey();
      const blob = await encrypt(key.KeyId!);
      const error = await failure(
        decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT, KeyId: other.KeyId }),
      );
      expect(error).toBeInstanceOf(IncorrectKeyException);
    });

    it('refuses a KeyId it does not know with NotFoundException', async () => {
      const key = await createKey();
      const blob = await encrypt(key.KeyId!);
      const error = await failure(
        decrypt({
          CiphertextBlob: blob,
          EncryptionContext: CONTEXT,
          KeyId: 'alias/kms-encryption-test-missing',
        }),
      );
      expect(error.name).toBe('NotFoundException');
    });

    it('refuses a Plaintext over 4096 bytes with a ValidationException naming it', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.alloc(4097) })),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain("at 'plaintext'");
    });

    it('refuses an RSA encryption algorithm on a symmetric key with InvalidKeyUsageException', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(
          new EncryptCommand({
            KeyId: key.KeyId,
            Plaintext: Buffer.from('x'),
            EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidKeyUsageException);
    });

    it('answers a DryRun Encrypt with DryRunOperationException and no ciphertext', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x'), DryRun: true })),
      );
      expect(error).toBeInstanceOf(DryRunOperationException);
    });
  });

  describe('GenerateDataKey', () => {
    it.each([
      [{ KeySpec: 'AES_256' as const }, 32],
      [{ KeySpec: 'AES_128' as const }, 16],
      [{ NumberOfBytes: 64 }, 64],
    ])('returns a data key of %j (%i bytes) and its blob, which decrypts to it', async (size, bytes) => {
      const key = await createKey();
      const generated = await kms.send(
        new GenerateDataKeyCommand({ KeyId: key.KeyId, EncryptionContext: CONTEXT, ...size }),
      );
      expect(generated.KeyId).toBe(key.Arn);
      expect(generated.Plaintext).toHaveLength(bytes);
      const { Plaintext } = await decrypt({
        CiphertextBlob: generated.CiphertextBlob,
        EncryptionContext: CONTEXT,
      });
      expect(Buffer.from(Plaintext!)).toEqual(Buffer.from(generated.Plaintext!));
    });

    it('returns only the blob from GenerateDataKeyWithoutPlaintext', async () => {
      const key = await createKey();
      const generated = await kms.send(
        new GenerateDataKeyWithoutPlaintextCommand({
          KeyId: key.KeyId,
          KeySpec: 'AES_256',
          EncryptionContext: CONTEXT,
        }),
      );
      expect(Object.keys(generated)).not.toContain('Plaintext');
      const { Plaintext } = await decrypt({
        CiphertextBlob: generated.CiphertextBlob,
        EncryptionContext: CONTEXT,
      });
      expect(Plaintext).toHaveLength(32);
    });

    it.each([
      ['both KeySpec and NumberOfBytes', { KeySpec: 'AES_256' as const, NumberOfBytes: 32 }],
      ['neither KeySpec nor NumberOfBytes', {}],
    ])('refuses %s with ValidationException', async (_case, size) => {
      const key = await createKey();
      const error = await failure(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, ...size })));
      expect(error.name).toBe('ValidationException');
    });

    it('refuses a NumberOfBytes over 1024 with ValidationException', async () => {
      const key = await createKey();
      const error = await failure(
        kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 1025 })),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain("at 'numberOfBytes'");
    });
  });

  describe('key usage', () => {
    const rsaKey = () => createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });

    it.each([
      ['Encrypt', (KeyId: string) => new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') })],
      ['GenerateDataKey', (KeyId: string) => new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256' })],
      [
        'GenerateDataKeyWithoutPlaintext',
        (KeyId: string) => new GenerateDataKeyWithoutPlaintextCommand({ KeyId, KeySpec: 'AES_256' }),
      ],
    ])('refuses %s with a SIGN_VERIFY key with InvalidKeyUsageException', async (_operation, command) => {
      const key = await rsaKey();
      expect(await failure(kms.send(command(key.KeyId!) as EncryptCommand))).toBeInstanceOf(
        InvalidKeyUsageException,
      );
    });

    it('refuses Sign and Verify with an ENCRYPT_DECRYPT key with InvalidKeyUsageException', async () => {
      const key = await createKey();
      const input = {
        KeyId: key.KeyId,
        Message: Buffer.from('x'),
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' as const,
      };
      expect(await failure(kms.send(new SignCommand(input)))).toBeInstanceOf(InvalidKeyUsageException);
      expect(
        await failure(kms.send(new VerifyCommand({ ...input, Signature: Buffer.alloc(256) }))),
      ).toBeInstanceOf(InvalidKeyUsageException);
    });

    it('refuses GetPublicKey for a symmetric key with UnsupportedOperationException', async () => {
      const key = await createKey();
      expect(await failure(kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId })))).toBeInstanceOf(
        UnsupportedOperationException,
      );
    });
  });

  describe('key states', () => {
    it('refuses Encrypt, Decrypt and GenerateDataKey on a disabled key with DisabledException until it is enabled again', async () => {
      const key = await createKey();
      const blob = await encrypt(key.KeyId!);
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      for (const call of [
        encrypt(key.KeyId!),
        decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }),
        kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' })),
      ]) {
        expect(await failure(call)).toBeInstanceOf(DisabledException);
      }
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      const { Plaintext } = await decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT });
      expect(Buffer.from(Plaintext!).toString()).toBe('a data key');
    });

    it('refuses to decrypt under a key pending deletion with KMSInvalidStateException', async () => {
      const key = await createKey();
      const blob = await encrypt(key.KeyId!);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      expect(await failure(decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }))).toBeInstanceOf(
        KMSInvalidStateException,
      );
    });
  });

  it('counts Encrypt, Decrypt and GenerateDataKey calls by operation', async () => {
    const key = await createKey();
    await sim.control('DELETE', '/_sim/stats');
    const blob = await encrypt(key.KeyId!);
    await decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT });
    await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
    const stats = await sim.control<{ kms: Record<string, number> }>('GET', '/_sim/stats');
    expect(stats.kms).toEqual({ Encrypt: 1, Decrypt: 1, GenerateDataKey: 1 });
  });

  it('decrypts after a restart on the same data directory, and refuses blobs of another KMS', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sgw-kms-encryption-'));
    try {
      const first = await startTestSimulator({ SIMULATOR_DATA_DIR: dataDir });
      const firstClient = kmsClient(first.baseUrl);
      const { CiphertextBlob } = await firstClient.send(
        new GenerateDataKeyWithoutPlaintextCommand({
          KeyId: 'alias/sgw-personal-data',
          KeySpec: 'AES_256',
          EncryptionContext: CONTEXT,
        }),
      );
      firstClient.destroy();
      await first.close();

      const second = await startTestSimulator({ SIMULATOR_DATA_DIR: dataDir });
      const secondClient = kmsClient(second.baseUrl);
      try {
        const { Plaintext } = await secondClient.send(
          new DecryptCommand({
            CiphertextBlob,
            EncryptionContext: CONTEXT,
            KeyId: 'alias/sgw-personal-data',
          }),
        );
        expect(Plaintext).toHaveLength(32);
      } finally {
        secondClient.destroy();
        await second.close();
      }
      // This file's simulator has its own data directory, so its alias/sgw-personal-data is another key.
      expect(await failure(decrypt({ CiphertextBlob, EncryptionContext: CONTEXT }))).toBeInstanceOf(
        InvalidCiphertextException,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
