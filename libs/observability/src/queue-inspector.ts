import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions, QueueName, REDIS_CONNECTION } from '@gw/queue';
import { type QueueDepthSource, QUEUE_STATES } from './metrics';

const COUNT_TIMEOUT_MS = 2_000;

/** How long a waiting job has been due: since it was added, or since its delay ran out. */
export function waitingSeconds(job: { timestamp: number; delay?: number }, now: number): number {
  return Math.max(0, (now - job.timestamp - (job.delay ?? 0)) / 1000);
}

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

  /**
   * Job counts and the oldest waiting job's age per queue; none when Redis does not answer in time (a
   * scrape must not hang on it).
   */
  readonly depth: QueueDepthSource = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), COUNT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        Promise.all(
          this.queues.map(async (queue) => {
            const [counts, [oldest]] = await Promise.all([
              queue.getJobCounts(...QUEUE_STATES),
              queue.getJobs(['waiting'], 0, 0, true),
            ]);
            return {
              queue: queue.name,
              counts,
              oldestWaitingSeconds: oldest && waitingSeconds(oldest, Date.now()),
            };
          }),
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
