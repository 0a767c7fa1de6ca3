import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type Queue } from 'bullmq';
import type Redis from 'ioredis';
import { type JobPayloads, QueueName, REDIS_CONNECTION, subscriberConnection } from '@gw/queue';

/** A gateway's interest in one creation, registered before its job is queued. */
export interface SubmissionExpectation {
  /** True once the worker announced the creation's answer, false when `timeoutMs` passed first. */
  settled(timeoutMs: number): Promise<boolean>;
  /** Forgets the interest (the job could not be queued). */
  cancel(): void;
}

/**
 * `Prefer: wait` without the queue's event stream. A gateway that waits for a creation says so in its job
 * (`announce`), and the worker publishes the consent id once the creation has its answer. Only announced
 * jobs cost a PUBLISH, and a gateway reads one short message per wait, where BullMQ's QueueEvents would
 * make every gateway read every job's added/active/completed entries.
 *
 * The interest is registered before the job is queued, so the announcement cannot arrive unseen; one
 * subscriber connection per process, opened at the first wait. A message lost to a Redis reconnect ends
 * that wait at its deadline, with the request as it is then.
 */
@Injectable()
export class SubmissionSignals implements OnModuleDestroy {
  private readonly logger = new Logger(SubmissionSignals.name);
  private subscriber: Promise<Redis> | undefined;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    @InjectQueue(QueueName.ConsentCreate) private readonly queue: Queue<JobPayloads['consent-create']>,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
  ) {}

  private get channel(): string {
    return `${this.queue.qualifiedName}:submitted`;
  }

  /** Worker: the creation of `consentId` has its answer (created, failed, or no longer pending). */
  async announce(consentId: string): Promise<void> {
    await this.redis.publish(this.channel, consentId);
  }

  /** Gateway: registers the interest; resolves once the subscription is live. */
  async expect(consentId: string): Promise<SubmissionExpectation> {
    let release: (() => void) | undefined;
    const announced = new Promise<void>((resolve) => (release = resolve));
    const listeners = this.waiting.get(consentId) ?? new Set<() => void>();
    const listener = () => release?.();
    listeners.add(listener);
    this.waiting.set(consentId, listeners);
    const forget = () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.waiting.get(consentId) === listeners) this.waiting.delete(consentId);
    };
    try {
      await this.subscribed();
    } catch (error) {
      forget();
      throw error;
    }
    return {
      settled: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<false>(
          (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
        );
        try {
          return await Promise.race([announced.then(() => true as const), timedOut]);
        } finally {
          clearTimeout(timer);
          forget();
        }
      },
      cancel: forget,
    };
  }

  private subscribed(): Promise<Redis> {
    this.subscriber ??= this.openSubscriber().catch((error: unknown) => {
      this.subscriber = undefined;
      throw error;
    });
    return this.subscriber;
  }

  private async openSubscriber(): Promise<Redis> {
    const subscriber = subscriberConnection(this.redis, this.channel);
    subscriber.on('error', (error: Error) => this.logger.warn(`Submission signals: ${error.message}`));
    subscriber.on('message', (_channel: string, consentId: string) => {
      const listeners = this.waiting.get(consentId);
      if (listeners) for (const listener of listeners) listener();
    });
    try {
      // The shared connection is lazy and may refuse commands while offline: connect before subscribing.
      if (subscriber.status === 'wait') await subscriber.connect();
      await subscriber.subscribe(this.channel);
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    return subscriber;
  }

  async onModuleDestroy(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) (await subscriber.catch(() => undefined))?.disconnect();
  }
}
