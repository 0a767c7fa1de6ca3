/** How this process runs webhooks; built from the process's config (WEBHOOK_* variables). */
export interface WebhooksOptions {
  /** 32 bytes (AES-256-GCM) encrypting endpoint secrets at rest; unset: the development key. */
  secretEncryptionKey?: Buffer;
  /** `http:` endpoints allowed (local use only). */
  allowHttp: boolean;
  /** Hosts, addresses or CIDR blocks (optionally `:port`) reachable although not public. */
  allowedHosts: readonly string[];
  /** Per delivery attempt, connect to last byte of the answer's head. */
  timeoutMs: number;
  /** Multiplies the retry schedule and the 5-day disable window (tests run it in milliseconds). */
  retryScale: number;
  /** Attempts in flight per endpoint (one while it is failing). */
  endpointConcurrency: number;
  /** How often the outbox relay looks for new events. */
  relayIntervalMs: number;
}

export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

/**
 * DEVELOPMENT ONLY — NOT A SECRET. Used when WEBHOOK_SECRET_ENCRYPTION_KEY is unset outside production
 * (the config refuses to start production without the variable).
 */
export const DEVELOPMENT_WEBHOOK_SECRET_KEY = Buffer.from('sgw-DEVELOPMENT-ONLY-webhook-key', 'utf8');

/** The WEBHOOK_* variables both the gateway's and the worker's config carry. */
export interface WebhooksConfig {
  WEBHOOK_SECRET_ENCRYPTION_KEY?: Buffer;
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOWED_HOSTS: string[];
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_RETRY_SCALE: number;
  WEBHOOK_ENDPOINT_CONCURRENCY: number;
  WEBHOOK_RELAY_INTERVAL_MS: number;
}

/** Options from a process's validated config (GatewayConfig or WorkerConfig). */
export function webhooksOptionsFrom(config: WebhooksConfig): WebhooksOptions {
  return {
    secretEncryptionKey: config.WEBHOOK_SECRET_ENCRYPTION_KEY,
    allowHttp: config.WEBHOOK_ALLOW_HTTP,
    allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryScale: config.WEBHOOK_RETRY_SCALE,
    endpointConcurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
    relayIntervalMs: config.WEBHOOK_RELAY_INTERVAL_MS,
  };
}
