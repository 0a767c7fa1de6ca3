import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Job, QueueEvents } from 'bullmq';
import { QUEUE_OPTIONS, type QueueModuleOptions } from './queue-options';
import { reconnectDelayMs } from './queue.module';
import { redisOptionsFromUrl } from './redis-connection';

/** How a wait for a job ended: it finished, it failed for good (with BullMQ's reason), or time ran out. */
export type JobOutcome = { kind: 'finished' } | { kind: 'failed'; reason: string } | { kind: 'timed_out' };

/** How long shutdown waits for a listener to close; with Redis down, BullMQ's close would wait forever. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Lets a process wait for jobs that other processes run (the gateway waiting on the worker for
 * `Prefer: wait`). One QueueEvents listener per queue, opened on first use, so a process that never
 * waits holds no blocking connection.
 */
@Injectable()
export class JobOutcomes implements OnModuleDestroy {
  private readonly listeners = new Map<string, QueueEvents>();

  constructor(@Inject(QUEUE_OPTIONS) private readonly options: QueueModuleOptions) {}

  async waitFor(job: Job, timeoutMs: number): Promise<JobOutcome> {
    try {
      await job.waitUntilFinished(this.listener(job.queueName), timeoutMs);
      return { kind: 'finished' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // bullmq: "Job wait <name> timed out before finishing, no finish notification arrived after <n>ms"
      return /timed out before finishing/.test(reason) ? { kind: 'timed_out' } : { kind: 'failed', reason };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      [...this.listeners.values()].map((listener) =>
        Promise.race([
          listener.close(),
          new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
        ]),
      ),
    );
  }

  private listener(queueName: string): QueueEvents {
    let listener = this.listeners.get(queueName);
    if (!listener) {
      listener = new QueueEvents(queueName, {
        connection: {
          ...redisOptionsFromUrl(this.options.redisUrl),
          maxRetriesPerRequest: null,
          retryStrategy: reconnectDelayMs,
        },
        prefix: this.options.prefix,
      });
      this.listeners.set(queueName, listener);
    }
    return listener;
  }
}
