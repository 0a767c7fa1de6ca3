import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type JobsOptions, type Queue } from 'bullmq';
import { type ConsentStatusJob, QueueName } from '@gw/queue';
import { type ConsentRequest } from './consent-request';
import { ConsentRepository } from './consent.repository';

export const CONSENT_TRACKING_OPTIONS = Symbol('CONSENT_TRACKING_OPTIONS');

export interface ConsentTrackingOptions {
  /**
   * Delays of the early GETs after creation (DESIGN flow 3b): the person usually decides within minutes
   * while the bank waits; after the last one the feed (which lags ≈300 s) takes over.
   */
  earlyRefreshDelaysMs: readonly number[];
  /** How often each tenant's Altinn event feed is read (DESIGN flow 3a). */
  feedIntervalMs: number;
  /** How often `pending` requests that lost their job are looked for. */
  sweepIntervalMs: number;
}

export const DEFAULT_TRACKING: ConsentTrackingOptions = {
  earlyRefreshDelaysMs: [5_000, 15_000, 30_000, 60_000, 120_000, 240_000],
  feedIntervalMs: 60_000,
  sweepIntervalMs: 30_000,
};

/** Puts the status-tracking jobs of DESIGN flow 3 on the `consent-status` queue. */
@Injectable()
export class ConsentStatusScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConsentStatusScheduler.name);
  /** Tenants whose feed scheduler this process has upserted since it started. */
  private readonly feedPollingEnsured = new Set<string>();

  constructor(
    @InjectQueue(QueueName.ConsentStatus) private readonly queue: Queue<ConsentStatusJob>,
    @Inject(CONSENT_TRACKING_OPTIONS) private readonly options: ConsentTrackingOptions,
    private readonly consents: ConsentRepository,
  ) {}

  /**
   * Feed polling for every tenant with open requests, in case Redis lost its schedulers. In the
   * background: a worker whose Redis is down still starts and reports itself not ready.
   */
  onApplicationBootstrap(): void {
    void this.resumeFeedPolling().catch((error: unknown) =>
      this.logger.error(
        `Could not resume feed polling: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }

  async resumeFeedPolling(): Promise<void> {
    for (const tenantId of await this.consents.tenantsWithOpenRequests())
      await this.ensureFeedPolling(tenantId);
  }

  /**
   * After Altinn created the request: the first early GET and the expiry at `validTo` in one round trip,
   * and the tenant's feed polling once per process (re-ensured for every open tenant at start and when
   * Redis lost its schedules).
   */
  async afterCreation(consent: ConsentRequest, now: number = Date.now()): Promise<void> {
    const jobs: { name: string; data: ConsentStatusJob; opts: JobsOptions }[] = [
      {
        name: 'expire',
        data: { kind: 'expire', tenantId: consent.tenantId, consentId: consent.id },
        // jobId: one expiry per consent however often this runs (BullMQ refuses ':' in custom ids).
        opts: { jobId: `expire-${consent.id}`, delay: Math.max(0, consent.validTo.getTime() - now) },
      },
    ];
    const refresh = this.refreshJob(consent, 0);
    if (refresh) jobs.push(refresh);
    await Promise.all([
      this.queue.addBulk(jobs),
      this.feedPollingEnsured.has(consent.tenantId)
        ? undefined
        : this.ensureFeedPolling(consent.tenantId).then(() => this.feedPollingEnsured.add(consent.tenantId)),
    ]);
  }

  /** The next early GET, while there is one left in the schedule; false once the feed has taken over. */
  async scheduleRefresh(consent: Pick<ConsentRequest, 'id' | 'tenantId'>, attempt: number): Promise<boolean> {
    const job = this.refreshJob(consent, attempt);
    if (!job) return false;
    await this.queue.add(job.name, job.data, job.opts);
    return true;
  }

  private refreshJob(
    consent: Pick<ConsentRequest, 'id' | 'tenantId'>,
    attempt: number,
  ): { name: string; data: ConsentStatusJob; opts: JobsOptions } | undefined {
    const delay = this.options.earlyRefreshDelaysMs[attempt];
    if (delay === undefined) return undefined;
    return {
      name: 'refresh',
      data: { kind: 'refresh', tenantId: consent.tenantId, consentId: consent.id, attempt },
      opts: { jobId: `refresh-${consent.id}-${attempt}`, delay },
    };
  }

  /** A repeatable feed job per tenant; upserting the same scheduler again changes nothing. */
  async ensureFeedPolling(tenantId: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      `feed:${tenantId}`,
      { every: this.options.feedIntervalMs },
      { name: 'feed', data: { kind: 'feed', tenantId } },
    );
  }
}
