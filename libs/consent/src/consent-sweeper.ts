import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { type JobPayloads, QueueName } from '@gw/queue';
import { ConsentRepository } from './consent.repository';
import { CONSENT_TRACKING_OPTIONS, type ConsentTrackingOptions } from './consent-status.scheduler';

/** A request still `pending` this long after it was stored has lost its job (a crash before enqueue). */
export const STALE_PENDING_SECONDS = 60;

/**
 * Re-enqueues `pending` requests whose creation job is gone: the gateway stores the row before it
 * enqueues, so a crash in between leaves a row without a job (DESIGN flow 2). Same jobId, so a job that
 * still exists is never doubled.
 */
@Injectable()
export class ConsentSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConsentSweeper.name);

  constructor(
    private readonly consents: ConsentRepository,
    @InjectQueue(QueueName.ConsentCreate) private readonly createQueue: Queue<JobPayloads['consent-create']>,
    @Inject(CONSENT_TRACKING_OPTIONS) private readonly options: ConsentTrackingOptions,
  ) {}

  onApplicationBootstrap(): void {
    void this.schedule(this.options.sweepIntervalMs).catch((error: unknown) =>
      this.logger.error(
        `Could not schedule the sweeper: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }

  async sweep(olderThanSeconds = STALE_PENDING_SECONDS): Promise<{ requeued: number }> {
    let requeued = 0;
    for (const { id, tenantId } of await this.consents.stalePending(olderThanSeconds, 500)) {
      const job = await this.createQueue.getJob(id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'unknown') {
        await this.createQueue.add('create', { tenantId, consentId: id }, { jobId: id });
        requeued += 1;
      } else if (state === 'failed' && job) {
        // Its last attempt could not record the failure: run it again, it is idempotent.
        await job.retry('failed');
        requeued += 1;
      }
    }
    return { requeued };
  }

  /** Runs the sweep every `everyMs` as a job scheduler on the creation queue. */
  async schedule(everyMs: number): Promise<void> {
    await this.createQueue.upsertJobScheduler('sweep-pending', { every: everyMs }, { name: 'sweep' });
  }
}
