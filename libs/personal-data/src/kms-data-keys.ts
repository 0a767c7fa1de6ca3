import {
  DecryptCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  KMSClient,
  type KMSServiceException,
} from '@aws-sdk/client-kms';
import { type DataKey } from './personal-data-cipher';
import { PersonalDataError } from './personal-data.errors';

/** A data key as configured in production: the CiphertextBlob KMS returned when it generated the key. */
export interface WrappedDataKey {
  keyId: string;
  ciphertextBlob: Buffer;
}

export interface PersonalDataKmsOptions {
  region: string;
  /** A KMS-compatible endpoint (the simulator, a VPC endpoint); unset for the region's public endpoint. */
  endpoint?: string;
  /** Static credentials for a local endpoint; unset uses the SDK's default chain (the pod's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Per attempt; default 5000 ms. */
  requestTimeoutMs?: number;
  /**
   * The KMS key the data keys are wrapped under (id, ARN or alias). AWS recommends naming it on Decrypt,
   * so a blob wrapped under any other key the role may use is refused (IncorrectKeyException).
   */
  wrappingKeyId: string;
}

const PURPOSE = 'samtykke-gateway/personal-data';

/**
 * The encryption context a data key is wrapped with: KMS binds it to the blob and opens the blob only with
 * the same pairs, and CloudTrail logs it with every Decrypt. Naming the key id keeps a blob configured
 * under another id from opening.
 */
export function dataKeyEncryptionContext(keyId: string): Record<string, string> {
  return { purpose: PURPOSE, 'key-id': keyId };
}

/** Unwraps every configured data key with KMS Decrypt, once, at process start. */
export async function unwrapDataKeys(
  wrapped: readonly WrappedDataKey[],
  options: PersonalDataKmsOptions,
): Promise<DataKey[]> {
  if (wrapped.length === 0) return [];
  const kms = kmsClient(options);
  try {
    return await Promise.all(
      wrapped.map(async ({ keyId, ciphertextBlob }) => {
        try {
          const { Plaintext } = await kms.send(
            new DecryptCommand({
              CiphertextBlob: ciphertextBlob,
              KeyId: options.wrappingKeyId,
              EncryptionContext: dataKeyEncryptionContext(keyId),
            }),
          );
          if (!Plaintext) throw new Error('KMS answered without Plaintext');
          return { keyId, key: Buffer.from(Plaintext) };
        } catch (error) {
          const name = (error as KMSServiceException).name ?? 'Error';
          throw new PersonalDataError(
            'personal_data.key_unwrap_failed',
            `KMS did not unwrap data key "${keyId}" under ${options.wrappingKeyId}: ${name}: ${(error as Error).message}`,
          );
        }
      }),
    );
  } finally {
    kms.destroy();
  }
}

/**
 * A new data key wrapped under the KMS key, as the `<keyId>:<base64>` item PERSONAL_DATA_WRAPPED_KEYS takes.
 * The plaintext never leaves KMS here (GenerateDataKeyWithoutPlaintext); the processes unwrap it at start.
 */
export async function generateWrappedDataKey(
  keyId: string,
  options: PersonalDataKmsOptions,
): Promise<string> {
  const kms = kmsClient(options);
  try {
    const { CiphertextBlob } = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({
        KeyId: options.wrappingKeyId,
        KeySpec: 'AES_256',
        EncryptionContext: dataKeyEncryptionContext(keyId),
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS answered without CiphertextBlob');
    return `${keyId}:${Buffer.from(CiphertextBlob).toString('base64')}`;
  } finally {
    kms.destroy();
  }
}

function kmsClient(options: PersonalDataKmsOptions): KMSClient {
  return new KMSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: 4,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 5000,
      connectionTimeout: 2000,
      throwOnRequestTimeout: true,
    },
  });
}
