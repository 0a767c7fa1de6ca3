import { type DynamicModule, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AUDIT_ENTITIES, AuditModule } from '@gw/audit';
import { AUTH_ENTITIES, AuthModule, type TenantPrincipal } from '@gw/auth';
import { CircuitBreakerModule } from '@gw/circuit-breaker';
import { type GatewayConfig } from '@gw/config';
import { CONSENT_ENTITIES, ConsentModule } from '@gw/consent';
import { EVENTS_ENTITIES, EventsModule } from '@gw/events';
import { configSecrets, ObservabilityModule } from '@gw/observability';
import { PersistenceModule } from '@gw/persistence';
import { personalDataOptionsFrom } from '@gw/personal-data';
import { QUEUE_OPTIONS, QueueModule, type QueueModuleOptions, REDIS_CONNECTION } from '@gw/queue';
import { JwksDirectory } from '@gw/signing';
import { TENANTS_ENTITIES, TenantsModule } from '@gw/tenants';
import { WEBHOOKS_ENTITIES, WebhooksModule, webhooksOptionsFrom } from '@gw/webhooks';
import { AdminApiKeysController } from './admin/api-keys.controller';
import { AdminAuditLogController } from './admin/audit-log.controller';
import { AdminSigningController } from './admin/signing.controller';
import { AdminSystemUpstreamsController } from './admin/system-upstreams.controller';
import { AdminSystemQueuesController } from './admin/system-queues.controller';
import { AdminSystemTrafficController } from './admin/system-traffic.controller';
import { AdminTenantConsentRequestsController } from './admin/tenant-consent-requests.controller';
import { AdminTenantWebhooksController } from './admin/tenant-webhooks.controller';
import { AdminTenantsController } from './admin/tenants.controller';
import { ConsentRequestsController } from './consent/consent-requests.controller';
import { EventsController } from './events/events.controller';
import { TenantController } from './tenant/tenant.controller';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PersistenceModule.forRoot({
          url: config.DATABASE_URL,
          applicationName: 'sgw-gateway',
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
        // A request answers 503 at once while Redis is away rather than hanging until it returns.
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, failFast: true }),
        ObservabilityModule.forRoot({
          service: 'sgw-gateway',
          level: config.LOG_LEVEL,
          secrets: configSecrets(config),
          // TenantKeyGuard leaves the authenticated tenant on the request.
          requestLogFields: (request) => ({
            tenantId: (request as { sgwTenant?: TenantPrincipal }).sgwTenant?.tenantId,
          }),
        }),
        AuditModule,
        TenantsModule,
        // The tenants' event feed (`GET /v1/events`).
        EventsModule,
        AuthModule.forRoot({
          adminApiKeys: config.ADMIN_API_KEY,
          keyEnvironment: config.API_KEY_ENVIRONMENT,
          rateLimit:
            config.RATE_LIMIT_PER_SECOND > 0
              ? {
                  ratePerSecond: config.RATE_LIMIT_PER_SECOND,
                  burst: config.RATE_LIMIT_BURST,
                  keyPrefix: `${config.QUEUE_PREFIX}:`,
                }
              : undefined,
        }),
        ConsentModule.register({
          tokenCache: {
            issuer: config.MASKINPORTEN_ISSUER,
            clientId: config.MASKINPORTEN_CLIENT_ID,
            providerOrg: config.PROVIDER_ORG_NUMBER,
            cache: { keyPrefix: `${config.QUEUE_PREFIX}:`, encryptionKey: config.TOKEN_CACHE_ENCRYPTION_KEY },
          },
          personalData: personalDataOptionsFrom(config),
        }),
        WebhooksModule.register(webhooksOptionsFrom(config)),
        // Read-only here: the operator's view of the workers' shared breakers.
        CircuitBreakerModule,
      ],
      controllers: [
        AdminTenantsController,
        AdminApiKeysController,
        AdminAuditLogController,
        AdminSigningController,
        AdminSystemUpstreamsController,
        AdminTenantConsentRequestsController,
        AdminTenantWebhooksController,
        AdminSystemQueuesController,
        AdminSystemTrafficController,
        TenantController,
        ConsentRequestsController,
        EventsController,
        WebhookEndpointsController,
      ],
      providers: [
        {
          provide: JwksDirectory,
          inject: [REDIS_CONNECTION, QUEUE_OPTIONS],
          useFactory: (redis: Redis, queue: QueueModuleOptions) => new JwksDirectory(redis, queue.prefix),
        },
      ],
    };
  }
}
