/** The KMS variables a process's config carries (gateway, worker, migrate). */
export interface KmsConnectionConfig {
  AWS_REGION: string;
  KMS_ENDPOINT?: string;
  KMS_ACCESS_KEY_ID?: string;
  KMS_SECRET_ACCESS_KEY?: string;
  KMS_TIMEOUT_MS: number;
}

/** How to reach KMS: one reading of the variables for every KMS client a process makes. */
export interface KmsConnection {
  region: string;
  /** Unset in AWS; the simulator's URL locally. */
  endpoint?: string;
  /** Unset in AWS, where the SDK's default chain (IRSA) supplies them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  requestTimeoutMs: number;
}

export function kmsConnectionOf(config: KmsConnectionConfig): KmsConnection {
  return {
    region: config.AWS_REGION,
    endpoint: config.KMS_ENDPOINT,
    credentials:
      config.KMS_ACCESS_KEY_ID && config.KMS_SECRET_ACCESS_KEY
        ? { accessKeyId: config.KMS_ACCESS_KEY_ID, secretAccessKey: config.KMS_SECRET_ACCESS_KEY }
        : undefined,
    requestTimeoutMs: config.KMS_TIMEOUT_MS,
  };
}
