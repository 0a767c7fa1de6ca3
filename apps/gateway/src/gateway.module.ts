import { type DynamicModule, Module } from '@nestjs/common';
import { type GatewayConfig } from '@gw/config';
import { ObservabilityModule } from '@gw/observability';
import { PersistenceModule } from '@gw/persistence';
import { QueueModule } from '@gw/queue';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'sgw-gateway' }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        ObservabilityModule,
      ],
    };
  }
}
