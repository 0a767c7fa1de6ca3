import { type WorkerHost } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AUDIT_ENTITIES } from '@gw/audit';
import { AUTH_ENTITIES } from '@gw/auth';
import { CircuitBreakerModule } from '@gw/circuit-breaker';
import { kmsConnectionOf, type WorkerConfig } from '@gw/config';
import { CONSENT_ENTITIES, ConsentWorkerModule } from '@gw/consent';
import { EVENTS_ENTITIES } from '@gw/events';
import { MaskinportenModule, type MaskinportenOptions, MaskinportenTokenService } from '@gw/maskinporten';
import { configSecrets, ObservabilityModule } from '@gw/observability';
import { PersistenceModule } from '@gw/persistence';
import { personalDataOptionsFrom } from '@gw/personal-data';
import { QueueModule, QueueName } from '@gw/queue';
import { SigningModule, type SigningModuleOptions } from '@gw/signing';
import { DelegationCheckModule, TENANTS_ENTITIES } from '@gw/tenants';
import { WEBHOOKS_ENTITIES, WebhooksWorkerModule, webhooksOptionsFrom } from '@gw/webhooks';
import { JwksPublisher } from './jwks-publisher';
import { WORKER_CONCURRENCY, type WorkerConcurrency } from './worker-concurrency';
import { ConsentCreateProcessor } from './processors/consent-create.processor';
import { ConsentStatusProcessor } from './processors/consent-status.processor';
import { ConsentTokenProcessor } from './processors/consent-token.processor';
import { DelegationCheckProcessor } from './processors/delegation-check.processor';
import { WebhookDeliveryProcessor } from './processors/webhook-delivery.processor';
import { WebhookRelayProcessor } from './processors/webhook-relay.processor';

/**
 * One processor per queue (docs/architecture.md "Queues"): a queue added to `QueueName` without one does not
 * compile.
 */
export const PROCESSORS: Record<QueueName, Type<WorkerHost>> = {
  [QueueName.DelegationCheck]: DelegationCheckProcessor,
  [QueueName.ConsentCreate]: ConsentCreateProcessor,
  [QueueName.ConsentStatus]: ConsentStatusProcessor,
  [QueueName.ConsentToken]: ConsentTokenProcessor,
  [QueueName.WebhookDelivery]: WebhookDeliveryProcessor,
  [QueueName.WebhookRelay]: WebhookRelayProcessor,
};

/** The provider's one Maskinporten client signs through KMS (or, in development only, a local key). */
export function signingOptions(config: WorkerConfig): SigningModuleOptions {
  if (config.SIGNER === 'local') {
    return {
      signer: 'local',
      environment: config.NODE_ENV,
      // The config schema demands the file when SIGNER=local.
      keyFile: config.SIGNER_LOCAL_KEY_FILE ?? '',
      algorithm: config.SIGNER_ALGORITHM,
    };
  }
  return {
    signer: 'kms',
    ...kmsConnectionOf(config),
    activeKeyId: config.KMS_KEY_ID,
    publishedKeyIds: config.KMS_PUBLISHED_KEY_IDS,
    algorithm: config.SIGNER_ALGORITHM,
  };
}

export function maskinportenOptions(config: WorkerConfig): MaskinportenOptions {
  return {
    issuer: config.MASKINPORTEN_ISSUER,
    clientId: config.MASKINPORTEN_CLIENT_ID,
    providerOrg: config.PROVIDER_ORG_NUMBER,
    tokenEndpoint: config.MASKINPORTEN_TOKEN_ENDPOINT,
    grantLifetimeSeconds: config.MASKINPORTEN_GRANT_LIFETIME_SECONDS,
    timeoutMs: config.MASKINPORTEN_TOKEN_TIMEOUT_MS,
    maxAttempts: config.MASKINPORTEN_TOKEN_MAX_ATTEMPTS,
    // The gateway reads consent tokens under the same prefix and secret (TokenCacheReader).
    cache: {
      keyPrefix: `${config.QUEUE_PREFIX}:`,
      encryptionKey: config.TOKEN_CACHE_ENCRYPTION_KEY,
      safetyMarginSeconds: config.TOKEN_CACHE_MARGIN_SECONDS,
    },
  };
}

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    const maskinporten = MaskinportenModule.register(maskinportenOptions(config));
    return {
      module: WorkerModule,
      imports: [
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'sgw-worker',
          poolSize: config.DATABASE_POOL_SIZE,
          // The tables each lib maps; the schema drift spec holds them to the migrations.
          entities: [
            ...TENANTS_ENTITIES,
            ...AUDIT_ENTITIES,
            ...AUTH_ENTITIES,
            ...CONSENT_ENTITIES,
            ...EVENTS_ENTITIES,
            ...WEBHOOKS_ENTITIES,
          ],
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        ObservabilityModule.forRoot({
          service: 'sgw-worker',
          level: config.LOG_LEVEL,
          secrets: configSecrets(config),
          instrumentJobs: true,
        }),
        // Before the upstream clients' modules: they report each call to the breakers (global).
        CircuitBreakerModule,
        SigningModule.register(signingOptions(config)),
        ConsentWorkerModule.register({
          imports: [maskinporten],
          altinn: { baseUrl: config.ALTINN_BASE_URL, timeoutMs: config.ALTINN_TIMEOUT_MS },
          tracking: {
            earlyRefreshDelaysMs: config.CONSENT_EARLY_REFRESH_DELAYS_MS,
            feedIntervalMs: config.CONSENT_FEED_INTERVAL_MS,
            sweepIntervalMs: config.CONSENT_SWEEP_INTERVAL_MS,
          },
          personalData: personalDataOptionsFrom(config),
        }),
        WebhooksWorkerModule.register(webhooksOptionsFrom(config)),
        DelegationCheckModule.register({ imports: [maskinporten], tokenSource: MaskinportenTokenService }),
      ],
      providers: [
        ...Object.values(PROCESSORS),
        JwksPublisher,
        {
          provide: WORKER_CONCURRENCY,
          useValue: { consentCreate: config.CONSENT_CREATE_CONCURRENCY } satisfies WorkerConcurrency,
        },
      ],
    };
  }
}
