import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { createRedisConnection, REDIS_CONNECTION } from './redis-connection';

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

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
