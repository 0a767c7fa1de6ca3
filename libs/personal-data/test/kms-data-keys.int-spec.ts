import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import {
  createPersonalDataCipher,
  dataKeyEncryptionContext,
  generateWrappedDataKey,
  PersonalDataError,
  type PersonalDataKmsOptions,
  unwrapDataKeys,
  type WrappedDataKey,
} from '@gw/personal-data';

const PERSON = 'urn:altinn:person:identifier-no:03867199348';
const row = { column: 'consent_requests.from_party', tenantId: 'tenant', rowId: 'row' };

/** The `<keyId>:<base64>` item of PERSONAL_DATA_WRAPPED_KEYS, as the config parses it. */
function parseItem(item: string): WrappedDataKey {
  const [keyId, blob] = item.split(':');
  return { keyId, ciphertextBlob: Buffer.from(blob, 'base64') };
}

async function refusal(call: Promise<unknown>): Promise<PersonalDataError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof PersonalDataError) return error;
    throw error;
  }
  throw new Error('expected a PersonalDataError');
}

// Envelope encryption through the real @aws-sdk/client-kms against the simulated KMS.
describe('data keys wrapped by KMS', () => {
  let sim: TestSimulator;
  let kms: PersonalDataKmsOptions;
  let client: KMSClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
    kms = {
      region: 'eu-north-1',
      endpoint: sim.baseUrl,
      credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
      wrappingKeyId: 'alias/sgw-personal-data',
    };
    client = new KMSClient({ region: kms.region, endpoint: kms.endpoint, credentials: kms.credentials });
  });
  afterAll(async () => {
    client.destroy();
    await sim.close();
  });

  /** Another symmetric key in the simulated KMS (the seeded alias/sgw-personal-data is the usual one). */
  async function createWrappingKey(): Promise<string> {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
    return KeyMetadata!.Arn!;
  }

  it('wraps a new data key in KMS and unwraps it to the 32 bytes KMS generated', async () => {
    // The plain key is known here only to compare it with what unwrapping gives.
    const generated = await client.send(
      new GenerateDataKeyCommand({
        KeyId: kms.wrappingKeyId,
        KeySpec: 'AES_256',
        EncryptionContext: dataKeyEncryptionContext('k1'),
      }),
    );
    const [unwrapped] = await unwrapDataKeys(
      [{ keyId: 'k1', ciphertextBlob: Buffer.from(generated.CiphertextBlob!) }],
      kms,
    );
    expect(unwrapped.keyId).toBe('k1');
    expect(unwrapped.key).toEqual(Buffer.from(generated.Plaintext!));

    const item = await generateWrappedDataKey('k2', kms);
    expect(item).toMatch(/^k2:[A-Za-z0-9+/]+={0,2}$/);
    const { Plaintext } = await client.send(
      new DecryptCommand({
        CiphertextBlob: parseItem(item).ciphertextBlob,
        EncryptionContext: { purpose: 'samtykke-gateway/personal-data', 'key-id': 'k2' },
      }),
    );
    expect(Plaintext).toHaveLength(32);
  });

  it('builds a cipher from wrapped keys that opens what another process with the same keys sealed', async () => {
    const wrapped = [parseItem(await generateWrappedDataKey('k1', kms))];
    const options = { keys: [], wrappedKeys: wrapped, activeKeyId: 'k1', kms };
    const gateway = await createPersonalDataCipher(options);
    const worker = await createPersonalDataCipher(options);
    expect(worker.open(row, gateway.seal(row, PERSON))).toBe(PERSON);
  });

  it('refuses a wrapped key configured under another key id: the encryption context names the id', async () => {
    const { ciphertextBlob } = parseItem(await generateWrappedDataKey('k1', kms));
    const error = await refusal(unwrapDataKeys([{ keyId: 'k9', ciphertextBlob }], kms));
    expect(error.code).toBe('personal_data.key_unwrap_failed');
    expect(error.message).toContain('"k9"');
    expect(error.message).toContain('InvalidCiphertextException');
  });

  it('refuses a wrapped key of another KMS key than the configured wrapping key', async () => {
    const { ciphertextBlob } = parseItem(await generateWrappedDataKey('k1', kms));
    const error = await refusal(
      unwrapDataKeys([{ keyId: 'k1', ciphertextBlob }], { ...kms, wrappingKeyId: await createWrappingKey() }),
    );
    expect(error.code).toBe('personal_data.key_unwrap_failed');
    expect(error.message).toContain('IncorrectKeyException');
  });

  it('stops the start when KMS refuses the wrapping key (disabled)', async () => {
    const keyArn = await createWrappingKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/pd-disabled', TargetKeyId: keyArn }));
    const own = { ...kms, wrappingKeyId: 'alias/pd-disabled' };
    const wrapped = parseItem(await generateWrappedDataKey('k1', own));
    await client.send(new DisableKeyCommand({ KeyId: keyArn }));
    const error = await refusal(
      createPersonalDataCipher({ keys: [], wrappedKeys: [wrapped], activeKeyId: 'k1', kms: own }),
    );
    expect(error.message).toContain('DisabledException');
  });
});
