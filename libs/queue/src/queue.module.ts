import { BullModule } from '@nestjs/bullmq';
import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { bullmqTelemetry } from '@gw/tracing';
import { checkEvictionPolicy } from './eviction-policy';
import { QUEUE_JOB_OPTIONS, type QueueName } from './queue-names';
import { QUEUE_OPTIONS, type QueueModuleOptions } from './queue-options';
import {
  createRedisConnection,
  FAIL_FAST_REDIS_OPTIONS,
  REDIS_CONNECTION,
  redisOptionsFromUrl,
} from './redis-connection';
import { ScheduleKeeper } from './schedule-keeper';

export { QUEUE_OPTIONS, type QueueModuleOptions } from './queue-options';

/**
 * Reconnect delay of BullMQ's own connections. Its default grows to 20 s after a few failures, so a
 * worker would sit idle up to 20 s after a Redis outage ended.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(250 * attempt, 2_000);
}

/** The process's Redis connection, shared by queues, caches and readiness. */
@Global()
@Module({})
export class QueueModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  private readonly checkPolicy = (): void => void checkEvictionPolicy(this.redis, this.logger);

  /**
   * Warns when Redis may evict queue keys (docs/operations.md "Redis": `maxmemory-policy noeviction`), in the
   * background. With Redis down, start-up goes on and the check runs once the connection is ready: a
   * command queued while offline would keep `quit()` from ever finishing at shutdown.
   */
  onApplicationBootstrap(): void {
    if (this.redis.status === 'ready') this.checkPolicy();
    else this.redis.once('ready', this.checkPolicy);
  }

  /**
   * `failFast`: the shared connection, which the queues registered here then use too, fails a command at
   * once while Redis is away ({@link FAIL_FAST_REDIS_OPTIONS}), for a process that must answer a request
   * rather than hold it: no workers (they block a connection of their own). QueueEvents keep their own
   * connections and wait.
   */
  static forRoot(options: QueueModuleOptions & { failFast?: boolean }): DynamicModule {
    const { failFast, ...queueOptions } = options;
    const connectionOptions = failFast ? FAIL_FAST_REDIS_OPTIONS : {};
    // With tracing on, every queue and worker carries the trace context in its jobs (docs/observability.md).
    const telemetry = bullmqTelemetry();
    const traced = telemetry ? { telemetry } : {};
    return {
      module: QueueModule,
      imports: [
        failFast
          ? // The queues share the fail-fast connection: BullMQ never QUITs a connection it was given,
            // where its own would throw at shutdown while Redis is away ("Stream isn't writeable").
            BullModule.forRootAsync({
              inject: [REDIS_CONNECTION],
              useFactory: (redis: Redis) => ({ connection: redis, prefix: options.prefix, ...traced }),
            })
          : // BullMQ gets connections of its own (a worker blocks one), which it closes with its queues.
            BullModule.forRoot({
              connection: {
                ...redisOptionsFromUrl(options.redisUrl),
                maxRetriesPerRequest: null,
                retryStrategy: reconnectDelayMs,
              },
              prefix: options.prefix,
              ...traced,
            }),
      ],
      providers: [
        { provide: QUEUE_OPTIONS, useValue: queueOptions },
        {
          provide: REDIS_CONNECTION,
          useFactory: async () => {
            const redis = createRedisConnection(options.redisUrl, connectionOptions);
            // A process whose Redis is down still starts; readiness reports it.
            await redis.connect().catch(() => undefined);
            return redis;
          },
        },
        ScheduleKeeper,
      ],
      exports: [QUEUE_OPTIONS, REDIS_CONNECTION, ScheduleKeeper],
    };
  }

  /** Registers queues with their default job options from `QUEUE_JOB_OPTIONS`; inject with `@InjectQueue(name)`. */
  static registerQueues(...names: QueueName[]): DynamicModule {
    return BullModule.registerQueue(
      ...names.map((name) => ({ name, defaultJobOptions: QUEUE_JOB_OPTIONS[name] })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.off('ready', this.checkPolicy);
    // QUIT waits behind queued commands, forever while Redis is down; then only disconnect() ends it.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
