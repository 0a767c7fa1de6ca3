import { setTimeout as sleep } from 'node:timers/promises';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type Queue } from 'bullmq';
import {
  jobIds,
  type JobPayloads,
  jobOf,
  keepJobScheduler,
  QueueName,
  type RestoreReason,
  ScheduleKeeper,
  schedulerIds,
} from '@gw/queue';
import { ConsentRepository } from './consent.repository';
import { CONSENT_TRACKING_OPTIONS, type ConsentTrackingOptions } from './consent-status.scheduler';

/** A request still `pending` this long after it was stored has lost its job (a crash before enqueue). */
export const STALE_PENDING_SECONDS = 60;

/**
 * After Redis lost its data, how long the sweep waits before it re-enqueues the requests stored before
 * the loss. A creation in flight then (its job gone with Redis) has ended by now, so it is not run a
 * second time beside itself: Altinn's timeout is 10 s. Requests stored after the loss were enqueued
 * into the new Redis and are left alone (their job exists).
 */
export const LOST_REDIS_GRACE_MS = 12_000;

const PAGE = 500;

/**
 * Re-enqueues `pending` requests whose creation job is gone: the gateway stores the row before it
 * enqueues, so a crash in between leaves a row without a job (docs/events.md), and a Redis that lost its
 * data loses every queued creation. Same jobId, so a job that still exists is never doubled.
 */
@Injectable()
export class ConsentSweeper implements OnModuleInit {
  private readonly logger = new Logger(ConsentSweeper.name);

  constructor(
    private readonly consents: ConsentRepository,
    @InjectQueue(QueueName.ConsentCreate) private readonly createQueue: Queue<JobPayloads['consent-create']>,
    @Inject(CONSENT_TRACKING_OPTIONS) private readonly options: ConsentTrackingOptions,
    private readonly keeper: ScheduleKeeper,
  ) {}

  /** The sweep's scheduler is kept by the keeper: created at start and again whenever Redis lost it. */
  onModuleInit(): void {
    this.keeper.register({
      name: 'the pending sweep',
      ensure: () => this.schedule(this.options.sweepIntervalMs),
      restore: (reason, signal) => this.restore(reason, signal),
    });
  }

  async restore(reason: RestoreReason, signal?: AbortSignal, graceMs = LOST_REDIS_GRACE_MS): Promise<void> {
    if (reason !== 'lost') return; // at start, the scheduled sweep does it
    await sleep(graceMs, undefined, { signal });
    const { requeued } = await this.sweep(Math.ceil(graceMs / 1000));
    if (requeued > 0) this.logger.warn(`Re-enqueued ${requeued} pending requests whose jobs Redis lost`);
  }

  /** Every `pending` request older than `olderThanSeconds` gets a job under its id, unless it has one. */
  async sweep(olderThanSeconds = STALE_PENDING_SECONDS): Promise<{ requeued: number }> {
    let requeued = 0;
    for (let after: string | null = null; ;) {
      const page = await this.consents.stalePendingPage(olderThanSeconds, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      // One command per request, all in flight at once: after a flush this is every pending request.
      const states = await Promise.all(
        page.map(({ id }) => this.createQueue.getJobState(jobIds.consentCreation(id))),
      );
      const missing = page.filter((_, index) => states[index] === 'unknown');
      if (missing.length > 0) {
        await this.createQueue.addBulk(
          missing.map(({ id, tenantId }) =>
            jobOf(
              QueueName.ConsentCreate,
              'create',
              { tenantId, consentId: id },
              { jobId: jobIds.consentCreation(id) },
            ),
          ),
        );
        requeued += missing.length;
      }
      for (const [index, { id }] of page.entries()) {
        if (states[index] !== 'failed') continue;
        // Its last attempt could not record the failure: run it again, it is idempotent.
        await (await this.createQueue.getJob(jobIds.consentCreation(id)))?.retry('failed');
        requeued += 1;
      }
      if (page.length < PAGE) break;
    }
    return { requeued };
  }

  /** Runs the sweep every `everyMs` as a job scheduler on the creation queue; true when it was created. */
  schedule(everyMs: number): Promise<boolean> {
    return keepJobScheduler(
      this.createQueue,
      schedulerIds.pendingSweep(),
      everyMs,
      jobOf(QueueName.ConsentCreate, 'sweep', {}),
    );
  }
}
