import { type DynamicModule, Module } from '@nestjs/common';
import { type WorkerConfig } from '@gw/config';
import { ObservabilityModule } from '@gw/observability';
import { PersistenceModule } from '@gw/persistence';
import { QueueModule } from '@gw/queue';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'sgw-worker' }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        ObservabilityModule,
      ],
    };
  }
}
