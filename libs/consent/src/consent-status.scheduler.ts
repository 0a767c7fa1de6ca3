import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type JobsOptions, type Queue } from 'bullmq';
import { type ConsentStatusJob, keepJobScheduler, QueueName, ScheduleKeeper } from '@gw/queue';
import { type ConsentRequest } from './consent-request';
import { ConsentRepository } from './consent.repository';

export const CONSENT_TRACKING_OPTIONS = Symbol('CONSENT_TRACKING_OPTIONS');

export interface ConsentTrackingOptions {
  /**
   * Delays of the early GETs after creation (docs/architecture.md flow 3b): the person usually decides within
   * minutes while the bank waits; after the last one the feed (which lags ≈300 s) takes over.
   */
  earlyRefreshDelaysMs: readonly number[];
  /** How often each tenant's Altinn event feed is read (docs/architecture.md flow 3a). */
  feedIntervalMs: number;
  /** How often `pending` requests that lost their job are looked for. */
  sweepIntervalMs: number;
}

export const DEFAULT_TRACKING: ConsentTrackingOptions = {
  earlyRefreshDelaysMs: [5_000, 15_000, 30_000, 60_000, 120_000, 240_000],
  feedIntervalMs: 60_000,
  sweepIntervalMs: 30_000,
};

/** Puts the status-tracking jobs of docs/architecture.md flow 3 on the `consent-status` queue. */
@Injectable()
export class ConsentStatusScheduler implements OnModuleInit {
  /** Tenants whose feed scheduler this process has upserted since it started. */
  private readonly feedPollingEnsured = new Set<string>();

  constructor(
    @InjectQueue(QueueName.ConsentStatus) private readonly queue: Queue<ConsentStatusJob>,
    @Inject(CONSENT_TRACKING_OPTIONS) private readonly options: ConsentTrackingOptions,
    private readonly consents: ConsentRepository,
    private readonly keeper: ScheduleKeeper,
  ) {}

  /**
   * At start, feed polling for every tenant with open requests; once Redis lost its data, all tracking
   * of open requests. Through the keeper, so a worker whose Redis is down still starts (it runs once
   * Redis is ready), and per tenant only then, never on the keeper's every tick.
   */
  onModuleInit(): void {
    this.keeper.register({
      name: 'consent tracking',
      restore: (reason) =>
        reason === 'lost' ? this.resumeTracking().then(() => undefined) : this.resumeFeedPolling(),
    });
  }

  async resumeFeedPolling(): Promise<void> {
    for (const tenantId of await this.consents.tenantsWithOpenRequests())
      await this.ensureFeedPolling(tenantId);
  }

  /**
   * Rebuilds what Redis lost of every open request's tracking: the tenant feeds, the expiry at `validTo`
   * and, for a request created less than the early GETs' span ago, its next early GET. Job ids as at
   * creation, so a job that still exists is left as it is.
   */
  async resumeTracking(now: number = Date.now()): Promise<{ expiries: number; refreshes: number }> {
    await this.resumeFeedPolling();
    let expiries = 0;
    let refreshes = 0;
    for (let after: string | null = null; ;) {
      const page = await this.consents.openRequestsPage(after, 500);
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const jobs: { name: string; data: ConsentStatusJob; opts: JobsOptions }[] = [];
      for (const consent of page) {
        jobs.push({
          name: 'expire',
          data: { kind: 'expire', tenantId: consent.tenantId, consentId: consent.id },
          opts: { jobId: `expire-${consent.id}`, delay: Math.max(0, consent.validTo.getTime() - now) },
        });
        expiries += 1;
        // `updated_at` of a `created` request is when it became `created`.
        const next =
          consent.status === 'created' ? this.nextRefresh(now - consent.updatedAt.getTime()) : undefined;
        const refresh = next && this.refreshJob(consent, next.attempt);
        if (refresh && next) {
          jobs.push({ ...refresh, opts: { ...refresh.opts, delay: next.delayMs } });
          refreshes += 1;
        }
      }
      await this.queue.addBulk(jobs);
      if (page.length < 500) break;
    }
    return { expiries, refreshes };
  }

  /** The early GET still due `elapsedMs` after creation, and how long until it. */
  private nextRefresh(elapsedMs: number): { attempt: number; delayMs: number } | undefined {
    let at = 0;
    for (const [attempt, delay] of this.options.earlyRefreshDelaysMs.entries()) {
      at += delay;
      if (at > elapsedMs) return { attempt, delayMs: at - elapsedMs };
    }
    return undefined;
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

  /** A repeatable feed job per tenant: one command while it exists, created when it does not. */
  async ensureFeedPolling(tenantId: string): Promise<void> {
    await keepJobScheduler(this.queue, `feed:${tenantId}`, this.options.feedIntervalMs, {
      name: 'feed',
      data: { kind: 'feed', tenantId },
    });
  }
}
