import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { QUEUE_JOB_OPTIONS, type QueueName } from './queue-names';
import { createRedisConnection, REDIS_CONNECTION, redisOptionsFromUrl } from './redis-connection';

export interface QueueModuleOptions {
  redisUrl: string;
  /** BullMQ key prefix; wrap it in {braces} on Redis Cluster so a queue's keys share a slot. */
  prefix: string;
}

export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');

/** The process's Redis connection, shared by queues, caches and readiness. */
@Global()
@Module({})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  static forRoot(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        // BullMQ gets connections of its own (a worker blocks one), which it closes with its queues.
        BullModule.forRoot({
          connection: { ...redisOptionsFromUrl(options.redisUrl), maxRetriesPerRequest: null },
          prefix: options.prefix,
        }),
      ],
      providers: [
        { provide: QUEUE_OPTIONS, useValue: options },
        {
          provide: REDIS_CONNECTION,
          useFactory: async () => {
            const redis = createRedisConnection(options.redisUrl);
            // A process whose Redis is down still starts; readiness reports it.
            await redis.connect().catch(() => undefined);
            return redis;
          },
        },
      ],
      exports: [QUEUE_OPTIONS, REDIS_CONNECTION],
    };
  }

  /** Registers queues with their default job options from `QUEUE_JOB_OPTIONS`; inject with `@InjectQueue(name)`. */
  static registerQueues(...names: QueueName[]): DynamicModule {
    return BullModule.registerQueue(
      ...names.map((name) => ({ name, defaultJobOptions: QUEUE_JOB_OPTIONS[name] })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
