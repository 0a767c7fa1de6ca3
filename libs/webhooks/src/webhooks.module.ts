import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import { EventsModule } from '@gw/events';
import { QUEUE_OPTIONS, QueueModule, QueueName, type QueueModuleOptions, REDIS_CONNECTION } from '@gw/queue';
import { TenantsModule } from '@gw/tenants';
import { parseAllowList } from './domain/url-policy';
import { EndpointSlots } from './endpoint-slots';
import { WebhookAddressGuard } from './webhook-address-guard';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryQueue } from './webhook-delivery.queue';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { OutboxRelayTrigger } from './outbox-relay.trigger';
import { WebhookRelayRepository } from './webhook-relay.repository';
import { WebhookRelayService } from './webhook-relay.service';
import { WebhookSecretBox } from './webhook-secret-box';
import { DEVELOPMENT_WEBHOOK_SECRET_KEY, WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

function sharedProviders(options: WebhooksOptions): Provider[] {
  const allowList = parseAllowList(options.allowedHosts);
  if (!allowList.ok) {
    throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${allowList.entry}" is not a host, address or CIDR block`);
  }
  return [
    { provide: WEBHOOKS_OPTIONS, useValue: options },
    WebhookDeliveryQueue,
    {
      provide: WebhookSecretBox,
      useFactory: () => new WebhookSecretBox(options.secretEncryptionKey ?? DEVELOPMENT_WEBHOOK_SECRET_KEY),
    },
    {
      provide: WebhookAddressGuard,
      useFactory: () =>
        new WebhookAddressGuard({ allowHttp: options.allowHttp, allowList: allowList.allowList }),
    },
  ];
}

/**
 * The gateway's webhooks module: tenants manage endpoints, read the delivery log, retry and replay.
 * Needs PersistenceModule and QueueModule.forRoot in the process.
 */
@Module({})
export class WebhooksModule {
  static register(options: WebhooksOptions): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [TenantsModule, QueueModule.registerQueues(QueueName.WebhookDelivery)],
      providers: [...sharedProviders(options), WebhookEndpointsRepository, WebhookEndpointsService],
      exports: [WebhookEndpointsService],
    };
  }
}

/** The worker's webhooks module: the outbox relay and the delivery of each (event, endpoint). */
@Module({})
export class WebhooksWorkerModule {
  static register(options: WebhooksOptions): DynamicModule {
    return {
      module: WebhooksWorkerModule,
      imports: [EventsModule, QueueModule.registerQueues(QueueName.WebhookDelivery, QueueName.WebhookRelay)],
      providers: [
        ...sharedProviders(options),
        {
          provide: EndpointSlots,
          inject: [REDIS_CONNECTION, QUEUE_OPTIONS],
          useFactory: (redis: Redis, queue: QueueModuleOptions) => new EndpointSlots(redis, queue.prefix),
        },
        WebhookRelayRepository,
        WebhookRelayService,
        OutboxRelayTrigger,
        WebhookDeliveriesRepository,
        WebhookDeliveryService,
      ],
      exports: [WebhookRelayService, WebhookDeliveryService],
    };
  }
}
