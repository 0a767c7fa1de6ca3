import { z } from 'zod';
import {
  allowLocalUpstreamsIssue,
  LOCAL_DEFAULTS,
  productionIssues,
  type ProductionRules,
} from './production-upstreams';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');
const orgNumber = z.string().regex(/^\d{9}$/, 'must be a 9-digit organization number');

const common = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** Default this machine's Postgres and Redis (LOCAL_DEFAULTS) outside production; required in it. */
const storage = {
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  QUEUE_PREFIX: z.string().min(1).default('sgw'),
  /** Postgres connections per process (see README "Sizing" for how the default was chosen). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
};

export const simulatorConfigSchema = z.object({
  ...common,
  SIMULATOR_PORT: port(3100),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** Base URL the simulator calls itself by; defaults to http://<host>:<port>. Issuer = this + "/". */
  SIMULATOR_PUBLIC_URL: z.string().url().optional(),
  /** Where simulated KMS keys are kept between restarts. */
  SIMULATOR_DATA_DIR: z.string().min(1).default('.sim-data'),
  /** docs/upstream-contract.md §2: the consent event feed shows only events older than this. */
  SIMULATOR_FEED_LAG_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Seed the example provider, tenant, persons and resources at start. */
  SIMULATOR_SEED: flag(true),
  /** Region the simulated KMS puts in key ARNs. */
  SIMULATOR_KMS_REGION: z.string().min(1).default('eu-north-1'),
  /** Client id of the seeded provider client. */
  SIMULATOR_SEED_CLIENT_ID: z.string().min(1).default('sgw-local-client'),
  /** Alias of the seeded provider client's signing key in the simulated KMS. */
  SIMULATOR_SEED_KMS_ALIAS: z.string().startsWith('alias/').default('alias/sgw-maskinporten'),
  /** Alias of the seeded symmetric key that wraps the gateway's personal-data keys in the simulated KMS. */
  SIMULATOR_SEED_PERSONAL_DATA_KMS_ALIAS: z.string().startsWith('alias/').default('alias/sgw-personal-data'),
});
export type SimulatorConfig = z.output<typeof simulatorConfigSchema>;

/**
 * Where the upstreams are and who the provider is. Outside production the unset ones default to the
 * simulator and its seeds (LOCAL_DEFAULTS); in production they are required and may not point at this
 * machine, be http:, or be the simulator's client or example provider (production-upstreams.ts).
 */
const upstream = {
  MASKINPORTEN_ISSUER: z.string().url().optional(),
  MASKINPORTEN_CLIENT_ID: z.string().min(1).optional(),
  ALTINN_BASE_URL: z.string().url().optional(),
  SIGNER: z.enum(['kms', 'local']).default('kms'),
  /** Unset in AWS (the SDK's endpoint for AWS_REGION); the simulator's URL locally. */
  KMS_ENDPOINT: z.string().url().optional(),
  KMS_KEY_ID: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('eu-north-1'),
  PROVIDER_ORG_NUMBER: orgNumber.optional(),
};

const productionMode = {
  /**
   * NODE_ENV=production with the simulator and loopback upstreams, for a stack on one machine (the
   * benchmarks); waives the upstream value checks, not the required variables. Refused in Kubernetes.
   */
  SGW_ALLOW_LOCAL_UPSTREAMS: flag(false),
  /** Set by Kubernetes in every container: read only to refuse SGW_ALLOW_LOCAL_UPSTREAMS there. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
};

type IssueContext = { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void };

function checkProductionUpstreams(
  config: Record<string, unknown> & {
    NODE_ENV: string;
    SGW_ALLOW_LOCAL_UPSTREAMS: boolean;
    KUBERNETES_SERVICE_HOST?: string;
  },
  context: IssueContext,
  rules: ProductionRules,
): void {
  if (config.NODE_ENV !== 'production') return;
  const refusedOptIn = allowLocalUpstreamsIssue(config);
  const issues = productionIssues(config, rules, config.SGW_ALLOW_LOCAL_UPSTREAMS && !refusedOptIn);
  for (const issue of refusedOptIn ? [refusedOptIn, ...issues] : issues) {
    context.addIssue({ code: 'custom', path: [issue.variable], message: issue.message });
  }
}

/** The shared Maskinporten token cache: workers write it, the gateway reads consent tokens from it. */
const tokenCache = {
  /** Secret: 32 bytes, base64, the same in every worker and gateway; encrypts cached access tokens in Redis. */
  TOKEN_CACHE_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .transform((value) => Buffer.from(value, 'base64'))
    .optional(),
};

/**
 * Webhooks (docs/events.md): the gateway checks endpoint URLs and seals their secrets; the worker delivers.
 */
const webhooks = {
  /**
   * Secret: 32 bytes, base64, the same in every gateway and worker; encrypts endpoint secrets at rest.
   * Required when NODE_ENV=production; unset elsewhere, a development-only key is used.
   */
  WEBHOOK_SECRET_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .transform((value) => Buffer.from(value, 'base64'))
    .optional(),
  /** Allow http:// endpoint URLs (local development and tests; refused in production). */
  WEBHOOK_ALLOW_HTTP: flag(false),
  /** Non-public hosts, IP addresses or CIDR blocks webhooks may reach (each optionally :port), comma-separated. */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((list) => [...new Set(list.split(',').map((item) => item.trim()))].filter(Boolean)),
  /** Per delivery attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(15_000),
  /** Multiplies the retry schedule (5 s … 10 h) and the 5-day disable window; 1 in production. */
  WEBHOOK_RETRY_SCALE: z.coerce.number().positive().max(1000).default(1),
  /** Attempts in flight per endpoint across the fleet (one while the endpoint is failing). */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How often the outbox relay fans new events out to endpoints. */
  WEBHOOK_RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
};

function checkWebhookConfig(
  config: { NODE_ENV: string; WEBHOOK_SECRET_ENCRYPTION_KEY?: Buffer; WEBHOOK_ALLOW_HTTP: boolean },
  context: IssueContext,
): void {
  if (config.NODE_ENV !== 'production') return;
  if (config.WEBHOOK_SECRET_ENCRYPTION_KEY === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET_ENCRYPTION_KEY'],
      message: 'is required when NODE_ENV=production',
    });
  }
  if (config.WEBHOOK_ALLOW_HTTP) {
    context.addIssue({
      code: 'custom',
      path: ['WEBHOOK_ALLOW_HTTP'],
      message: 'must be false when NODE_ENV=production',
    });
  }
}

const KEY_ITEM = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):([A-Za-z0-9+/]+={0,2})$/;

/** `<keyId>:<base64>` items, comma-separated, each id once; `bytes` fixes the decoded length. */
function keyList(bytes?: number) {
  return z
    .string()
    .default('')
    .transform((list, context) => {
      const items: { keyId: string; value: Buffer }[] = [];
      for (const item of list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)) {
        const match = KEY_ITEM.exec(item);
        const value = match && Buffer.from(match[2], 'base64');
        // No value in a message: these are key material.
        if (!match || !value || (bytes !== undefined && value.length !== bytes)) {
          context.addIssue({
            code: 'custom',
            message: `item ${items.length + 1} must be <keyId>:<base64${bytes === undefined ? '' : ` of ${bytes} bytes`}> (key id [A-Za-z0-9._-])`,
          });
          return z.NEVER;
        }
        if (items.some((earlier) => earlier.keyId === match[1])) {
          context.addIssue({ code: 'custom', message: `names key id "${match[1]}" twice` });
          return z.NEVER;
        }
        items.push({ keyId: match[1], value });
      }
      return items;
    });
}

/** Personal data at rest (libs/personal-data): the data keys of the gateway, the worker and `npm run migrate`. */
const personalData = {
  /**
   * Secret, development and tests only: `<keyId>:<base64 of 32 bytes>`, comma-separated (openssl rand
   * -base64 32). Refused when NODE_ENV=production. With no key of either kind, a development key is used.
   */
  PERSONAL_DATA_KEYS: keyList(32).transform((items) =>
    items.map(({ keyId, value }) => ({ keyId, key: value })),
  ),
  /**
   * `<keyId>:<base64 CiphertextBlob>`, comma-separated: data keys KMS generated under
   * PERSONAL_DATA_KMS_KEY_ID with the encryption context {purpose, key-id}; unwrapped at start.
   */
  PERSONAL_DATA_WRAPPED_KEYS: keyList().transform((items) =>
    items.map(({ keyId, value }) => ({ keyId, ciphertextBlob: value })),
  ),
  /** The key new values are sealed under (the others only open); required with more than one key. */
  PERSONAL_DATA_ACTIVE_KEY_ID: z.string().min(1).optional(),
  /** The KMS key that wraps the data keys (id, ARN or alias); Decrypt names it. */
  PERSONAL_DATA_KMS_KEY_ID: z.string().min(1).default('alias/sgw-personal-data'),
};

/** How the gateway and `npm run migrate` reach KMS to unwrap data keys (the worker's config has these too). */
const kmsConnection = {
  KMS_ENDPOINT: upstream.KMS_ENDPOINT,
  AWS_REGION: upstream.AWS_REGION,
  /** Static credentials for a local KMS endpoint (the simulator); unset in AWS, where the pod's role signs. */
  KMS_ACCESS_KEY_ID: z.string().min(1).optional(),
  KMS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Per KMS request; the SDK retries throttling and 5xx on top. */
  KMS_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
};

function checkPersonalDataConfig(
  config: {
    NODE_ENV: string;
    PERSONAL_DATA_KEYS: { keyId: string }[];
    PERSONAL_DATA_WRAPPED_KEYS: { keyId: string }[];
    PERSONAL_DATA_ACTIVE_KEY_ID?: string;
  },
  context: IssueContext,
): void {
  const issue = (variable: string, message: string) =>
    context.addIssue({ code: 'custom', path: [variable], message });
  const plainIds = config.PERSONAL_DATA_KEYS.map((key) => key.keyId);
  const wrappedIds = config.PERSONAL_DATA_WRAPPED_KEYS.map((key) => key.keyId);
  for (const keyId of wrappedIds.filter((id) => plainIds.includes(id))) {
    issue('PERSONAL_DATA_WRAPPED_KEYS', `key id "${keyId}" is also in PERSONAL_DATA_KEYS`);
  }
  const ids = [...plainIds, ...wrappedIds];
  const active = config.PERSONAL_DATA_ACTIVE_KEY_ID;
  if (active !== undefined && !ids.includes(active)) {
    issue('PERSONAL_DATA_ACTIVE_KEY_ID', `names no configured key (${ids.join(', ') || 'none'})`);
  }
  if (active === undefined && ids.length > 1) {
    issue('PERSONAL_DATA_ACTIVE_KEY_ID', 'is required when more than one data key is configured');
  }
  // In production a data key exists in plain text only in process memory, unwrapped by KMS.
  if (config.NODE_ENV !== 'production') return;
  if (plainIds.length > 0) {
    issue('PERSONAL_DATA_KEYS', 'must be unset when NODE_ENV=production: use PERSONAL_DATA_WRAPPED_KEYS');
  }
  if (wrappedIds.length === 0) issue('PERSONAL_DATA_WRAPPED_KEYS', 'is required when NODE_ENV=production');
}

/** `npm run migrate`: the database, and the data keys its personal-data step seals with. */
export const migrateConfigSchema = z
  .object({ ...common, DATABASE_URL: storage.DATABASE_URL, ...personalData, ...kmsConnection })
  .superRefine((config, context) => {
    checkPersonalDataConfig(config, context);
    if (config.NODE_ENV === 'production' && config.DATABASE_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when NODE_ENV=production',
      });
    }
  })
  .transform((config) => ({ ...config, DATABASE_URL: config.DATABASE_URL ?? LOCAL_DEFAULTS.DATABASE_URL }));
export type MigrateConfig = z.output<typeof migrateConfigSchema>;

/** 3002 beside the public 3000 (3001 is the worker's probe port), or a free port when PORT is 0 (tests). */
function managementPortOf(config: { PORT: number; MANAGEMENT_PORT?: number }): number {
  return config.MANAGEMENT_PORT ?? (config.PORT === 0 ? 0 : 3002);
}

/** The `<env>` of tenant API keys (`sgw_<env>_…`) when API_KEY_ENVIRONMENT is unset. */
const API_KEY_ENVIRONMENT_BY_NODE_ENV = { production: 'live', development: 'dev', test: 'test' } as const;

export const gatewayConfigSchema = z
  .object({
    ...common,
    ...storage,
    ...tokenCache,
    ...webhooks,
    ...productionMode,
    ...personalData,
    ...kmsConnection,
    /** The token cache key names issuer, client and provider: they must be the worker's. */
    MASKINPORTEN_ISSUER: upstream.MASKINPORTEN_ISSUER,
    MASKINPORTEN_CLIENT_ID: upstream.MASKINPORTEN_CLIENT_ID,
    PROVIDER_ORG_NUMBER: upstream.PROVIDER_ORG_NUMBER,
    /** The public listener: the tenant API (`/v1`), `/health/*` and the tenant API's docs. */
    PORT: port(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /**
     * The management listener: the admin API (`/admin/v1`), bull-board, `/metrics`, `/health/*` and the
     * admin API's docs. Default 3002, or a free port when PORT is 0; never PORT.
     */
    MANAGEMENT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Default 127.0.0.1 (this machine only) outside production, 0.0.0.0 in it (the cluster's policy limits who connects). */
    MANAGEMENT_HOST: z.string().min(1).optional(),
    /**
     * Lets operators act through bull-board (retry, clean, pause, add, edit jobs); each action is audited
     * with the admin key's fingerprint. Off by default: the board is read-only.
     */
    QUEUE_BOARD_ACTIONS: flag(false),
    /**
     * Secret: one or more admin keys, comma-separated (several allow rotation), each ≥ 24 characters.
     * Required when NODE_ENV=production; unset elsewhere, the admin API refuses every call.
     */
    ADMIN_API_KEY: z
      .string()
      .transform((list) => [...new Set(list.split(',').map((item) => item.trim()))].filter(Boolean))
      .pipe(z.array(z.string().min(24, 'each key must be at least 24 characters')).min(1, 'names no key'))
      .optional(),
    /** Requests per second each tenant may make, shared by all replicas; 0 turns the limit off. */
    RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(100),
    /** How many requests a tenant may make at once after being idle. */
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(200),
    /**
     * The URLs banks and operators reach the tenant API and the management listener by (behind a proxy or
     * ingress), named as `servers` in the OpenAPI documents; default http://localhost:<port>.
     */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    MANAGEMENT_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** `<env>` of the tenant API keys this gateway issues and accepts; default live/dev/test by NODE_ENV. */
    API_KEY_ENVIRONMENT: z
      .string()
      .regex(/^[a-z0-9]{1,8}$/, 'must be 1–8 lower-case letters or digits')
      .optional(),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && config.ADMIN_API_KEY === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_API_KEY'],
        message: 'is required when NODE_ENV=production',
      });
    }
    // Two listeners on one port cannot be told apart: the admin API would be public.
    const managementPort = managementPortOf(config);
    if (managementPort !== 0 && managementPort === config.PORT) {
      context.addIssue({ code: 'custom', path: ['MANAGEMENT_PORT'], message: 'must differ from PORT' });
    }
    checkWebhookConfig(config, context);
    checkPersonalDataConfig(config, context);
    // Consent tokens pass from the worker to the gateway through the encrypted cache: both need the key.
    if (config.NODE_ENV === 'production' && config.TOKEN_CACHE_ENCRYPTION_KEY === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['TOKEN_CACHE_ENCRYPTION_KEY'],
        message: 'is required when NODE_ENV=production',
      });
    }
    checkProductionUpstreams(config, context, {
      required: [
        'DATABASE_URL',
        'REDIS_URL',
        'MASKINPORTEN_ISSUER',
        'MASKINPORTEN_CLIENT_ID',
        'PROVIDER_ORG_NUMBER',
      ],
      upstreamUrls: ['MASKINPORTEN_ISSUER', 'KMS_ENDPOINT'],
    });
  })
  .transform((config) => ({
    ...config,
    DATABASE_URL: config.DATABASE_URL ?? LOCAL_DEFAULTS.DATABASE_URL,
    REDIS_URL: config.REDIS_URL ?? LOCAL_DEFAULTS.REDIS_URL,
    MASKINPORTEN_ISSUER: config.MASKINPORTEN_ISSUER ?? LOCAL_DEFAULTS.MASKINPORTEN_ISSUER,
    MASKINPORTEN_CLIENT_ID: config.MASKINPORTEN_CLIENT_ID ?? LOCAL_DEFAULTS.MASKINPORTEN_CLIENT_ID,
    PROVIDER_ORG_NUMBER: config.PROVIDER_ORG_NUMBER ?? LOCAL_DEFAULTS.PROVIDER_ORG_NUMBER,
    ADMIN_API_KEY: config.ADMIN_API_KEY ?? [],
    API_KEY_ENVIRONMENT: config.API_KEY_ENVIRONMENT ?? API_KEY_ENVIRONMENT_BY_NODE_ENV[config.NODE_ENV],
    MANAGEMENT_PORT: managementPortOf(config),
    MANAGEMENT_HOST: config.MANAGEMENT_HOST ?? (config.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
  }));
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const workerConfigSchema = z
  .object({
    ...common,
    ...storage,
    ...upstream,
    ...productionMode,
    WORKER_HEALTH_PORT: port(3001),
    /** Key rotation: further KMS keys (ids, ARNs or aliases, comma-separated) published beside KMS_KEY_ID. */
    KMS_PUBLISHED_KEY_IDS: z
      .string()
      .default('')
      .transform((list) => [...new Set(list.split(',').map((item) => item.trim()))].filter(Boolean)),
    /** Static credentials for a local KMS endpoint (the simulator); unset in AWS, where the pod's role signs. */
    KMS_ACCESS_KEY_ID: z.string().min(1).optional(),
    KMS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Per KMS request; the SDK retries throttling and 5xx on top. */
    KMS_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
    /** docs/upstream-contract.md §1: Maskinporten takes RS256, RS384 or RS512 grants. */
    SIGNER_ALGORITHM: z.enum(['RS256', 'RS384', 'RS512']).default('RS256'),
    /** SIGNER=local only (development): an RSA private key as PEM or JWK. */
    SIGNER_LOCAL_KEY_FILE: z.string().min(1).optional(),
    /** Default `<MASKINPORTEN_ISSUER>token`. */
    MASKINPORTEN_TOKEN_ENDPOINT: z.string().url().optional(),
    /**
     * docs/upstream-contract.md §1: Maskinporten sometimes stalls ≈15 s; a request is cut and retried after
     * this.
     */
    MASKINPORTEN_TOKEN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MASKINPORTEN_TOKEN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    /** docs/upstream-contract.md §1: exp − iat ≤ 120. */
    MASKINPORTEN_GRANT_LIFETIME_SECONDS: z.coerce.number().int().min(1).max(120).default(60),
    ...tokenCache,
    ...webhooks,
    ...personalData,
    /** Per Altinn call; a stalled call is cut and the job retried with backoff. */
    ALTINN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /**
     * docs/architecture.md flow 3b: delays of the early GETs after a consent is created, comma-separated ms.
     */
    CONSENT_EARLY_REFRESH_DELAYS_MS: z
      .string()
      .default('5000,15000,30000,60000,120000,240000')
      .transform((list) => list.split(',').map((item) => Number(item.trim())))
      .pipe(z.array(z.number().int().positive()).min(1)),
    /** docs/architecture.md flow 3a: how often each tenant's Altinn event feed is read. */
    CONSENT_FEED_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
    /** How often `pending` requests that lost their job are looked for. */
    CONSENT_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
    /**
     * Creations at Altinn in flight per worker. They wait on Altinn, not on the CPU: throughput is this
     * divided by Altinn's latency (README "Sizing").
     */
    CONSENT_CREATE_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(128),
    /** A cached token stops being handed out this many seconds before Maskinporten's expires_in ends. */
    TOKEN_CACHE_MARGIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  })
  .superRefine((config, context) => {
    const require = (variable: string, message: string) =>
      context.addIssue({ code: 'custom', path: [variable], message });
    if (config.NODE_ENV === 'production' && config.TOKEN_CACHE_ENCRYPTION_KEY === undefined) {
      require('TOKEN_CACHE_ENCRYPTION_KEY', 'is required when NODE_ENV=production');
    }
    checkWebhookConfig(config, context);
    checkPersonalDataConfig(config, context);
    // The provider's signing key never leaves KMS in production (docs/operations.md "Signing keys").
    if (config.SIGNER === 'local' && config.NODE_ENV === 'production') {
      require('SIGNER', 'must be kms when NODE_ENV=production');
    }
    if (config.SIGNER === 'local' && config.SIGNER_LOCAL_KEY_FILE === undefined) {
      require('SIGNER_LOCAL_KEY_FILE', 'is required when SIGNER=local');
    }
    if ((config.KMS_ACCESS_KEY_ID === undefined) !== (config.KMS_SECRET_ACCESS_KEY === undefined)) {
      require('KMS_SECRET_ACCESS_KEY', 'KMS_ACCESS_KEY_ID and KMS_SECRET_ACCESS_KEY go together');
    }
    checkProductionUpstreams(config, context, {
      required: [
        'DATABASE_URL',
        'REDIS_URL',
        'MASKINPORTEN_ISSUER',
        'MASKINPORTEN_CLIENT_ID',
        'ALTINN_BASE_URL',
        'PROVIDER_ORG_NUMBER',
        'KMS_KEY_ID',
      ],
      upstreamUrls: ['MASKINPORTEN_ISSUER', 'MASKINPORTEN_TOKEN_ENDPOINT', 'ALTINN_BASE_URL', 'KMS_ENDPOINT'],
    });
  })
  .transform((config) => ({
    ...config,
    DATABASE_URL: config.DATABASE_URL ?? LOCAL_DEFAULTS.DATABASE_URL,
    REDIS_URL: config.REDIS_URL ?? LOCAL_DEFAULTS.REDIS_URL,
    MASKINPORTEN_ISSUER: config.MASKINPORTEN_ISSUER ?? LOCAL_DEFAULTS.MASKINPORTEN_ISSUER,
    MASKINPORTEN_CLIENT_ID: config.MASKINPORTEN_CLIENT_ID ?? LOCAL_DEFAULTS.MASKINPORTEN_CLIENT_ID,
    ALTINN_BASE_URL: config.ALTINN_BASE_URL ?? LOCAL_DEFAULTS.ALTINN_BASE_URL,
    KMS_KEY_ID: config.KMS_KEY_ID ?? LOCAL_DEFAULTS.KMS_KEY_ID,
    PROVIDER_ORG_NUMBER: config.PROVIDER_ORG_NUMBER ?? LOCAL_DEFAULTS.PROVIDER_ORG_NUMBER,
  }));
export type WorkerConfig = z.output<typeof workerConfigSchema>;
