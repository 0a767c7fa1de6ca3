import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { type KmsRsaSigningAlgorithm } from './domain/jws';

export interface KmsSignInput {
  KeyId: string;
  Message: Uint8Array;
  MessageType: 'RAW' | 'DIGEST';
  SigningAlgorithm: KmsRsaSigningAlgorithm;
}

export interface KmsSignOutput {
  KeyId?: string;
  Signature?: Uint8Array;
}

export interface KmsGetPublicKeyOutput {
  KeyId?: string;
  PublicKey?: Uint8Array;
  KeyUsage?: string;
  SigningAlgorithms?: string[];
}

/** The two KMS operations the signer uses; the SDK client in production, a fake in unit tests. */
export interface KmsApi {
  sign(input: KmsSignInput): Promise<KmsSignOutput>;
  getPublicKey(keyId: string): Promise<KmsGetPublicKeyOutput>;
  destroy(): void;
}

export interface KmsConnectionOptions {
  region: string;
  /** A KMS-compatible endpoint (the simulator, a VPC endpoint); unset for the region's public endpoint. */
  endpoint?: string;
  /** Static credentials, e.g. for a local endpoint; unset uses the SDK's default chain (the pod's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Per attempt; default 5000 ms. */
  requestTimeoutMs?: number;
  /** Default 2000 ms. */
  connectionTimeoutMs?: number;
  /**
   * Attempts per call, first included; default 4. The SDK's standard strategy retries throttling,
   * 5xx-class errors (KMSInternal, KeyUnavailable, DependencyTimeout), timeouts and network errors with
   * exponential backoff and jitter (docs/upstream-contract.md §3).
   */
  maxAttempts?: number;
}

/** The KMS API over `@aws-sdk/client-kms`. */
export function sdkKmsApi(options: KmsConnectionOptions): KmsApi {
  const client = new KMSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 5000,
      connectionTimeout: options.connectionTimeoutMs ?? 2000,
      // Without this the SDK only warns about a stalled request and keeps waiting for it.
      throwOnRequestTimeout: true,
    },
  });
  return {
    sign: (input) => client.send(new SignCommand(input)),
    getPublicKey: (keyId) => client.send(new GetPublicKeyCommand({ KeyId: keyId })),
    destroy: () => client.destroy(),
  };
}
