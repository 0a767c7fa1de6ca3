import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions, QueueName, REDIS_CONNECTION } from '@gw/queue';
import { type QueueDepthSource, QUEUE_STATES } from './metrics';

const COUNT_TIMEOUT_MS = 2_000;

/**
 * A read-only handle on every queue in `QueueName`, over the process's shared Redis connection: job
 * counts for `/metrics` and the queues bull-board shows.
 */
@Injectable()
export class QueueInspector implements OnApplicationShutdown {
  readonly queues: Queue[];

  constructor(
    @Inject(QUEUE_OPTIONS) options: QueueModuleOptions,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
  ) {
    // A shared connection: closing these queues leaves it to QueueModule.
    this.queues = Object.values(QueueName).map(
      (name) => new Queue(name, { connection: redis, prefix: options.prefix }),
    );
  }

  /** Job counts per queue; none when Redis does not answer in time (a scrape must not hang on it). */
  readonly depth: QueueDepthSource = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), COUNT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        Promise.all(
          this.queues.map(async (queue) => ({
            queue: queue.name,
            counts: await queue.getJobCounts(...QUEUE_STATES),
          })),
        ),
        timeout,
      ]);
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
    }
  };

  async onApplicationShutdown(): Promise<void> {
    // Closing waits for the connection to be ready, forever while Redis is down; it is shared anyway.
    if (this.redis.status !== 'ready') return;
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
  }
}
