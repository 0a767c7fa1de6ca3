import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Queue } from 'bullmq';
import {
  type ConsentStatusJob,
  jobIds,
  type JobToAdd,
  jobOf,
  keepJobScheduler,
  QueueName,
  ScheduleKeeper,
  schedulerIds,
} from '@gw/queue';
import { type ConsentRequest } from './consent-request';
import { ConsentRepository } from './consent.repository';
import { earlyRefreshAfter, earlyRefreshDue } from './domain/early-refresh';

type StatusJob = JobToAdd<typeof QueueName.ConsentStatus>;

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
      const jobs: StatusJob[] = [];
      for (const consent of page) {
        jobs.push(expiryJob(consent, now));
        expiries += 1;
        // `updated_at` of a `created` request is when it became `created`.
        const next =
          consent.status === 'created'
            ? earlyRefreshDue(now - consent.updatedAt.getTime(), this.options.earlyRefreshDelaysMs)
            : undefined;
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

  /**
   * After Altinn created the request: the first early GET and the expiry at `validTo` in one round trip,
   * and the tenant's feed polling once per process (re-ensured for every open tenant at start and when
   * Redis lost its schedules).
   */
  async afterCreation(consent: ConsentRequest, now: number = Date.now()): Promise<void> {
    const jobs: StatusJob[] = [expiryJob(consent, now)];
    const refresh = this.refreshJob(consent, 0);
    if (refresh) jobs.push(refresh);
    await Promise.all([
      this.queue.addBulk(jobs),
      this.feedPollingEnsured.has(consent.tenantId)
        ? undefined
        : this.ensureFeedPolling(consent.tenantId).then(() => this.feedPollingEnsured.add(consent.tenantId)),
    ]);
  }

  /**
   * After an early GET ran: the next one while the person has not decided, so long as the schedule has one
   * left; false when none was queued (the feed has taken over, or it was an on-demand refresh).
   */
  async afterRefresh(
    consent: Pick<ConsentRequest, 'id' | 'tenantId' | 'status'> | undefined,
    attempt: number | undefined,
  ): Promise<boolean> {
    const next = earlyRefreshAfter(consent?.status, attempt);
    return consent !== undefined && next !== undefined && this.scheduleRefresh(consent, next);
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
  ): StatusJob | undefined {
    const delay = this.options.earlyRefreshDelaysMs[attempt];
    if (delay === undefined) return undefined;
    return jobOf(
      QueueName.ConsentStatus,
      'refresh',
      { kind: 'refresh', tenantId: consent.tenantId, consentId: consent.id, attempt },
      { jobId: jobIds.consentEarlyRefresh(consent.id, attempt), delay },
    );
  }

  /** A repeatable feed job per tenant: one command while it exists, created when it does not. */
  async ensureFeedPolling(tenantId: string): Promise<void> {
    await keepJobScheduler(
      this.queue,
      schedulerIds.consentFeed(tenantId),
      this.options.feedIntervalMs,
      jobOf(QueueName.ConsentStatus, 'feed', { kind: 'feed', tenantId }),
    );
  }
}

/** The delayed job at `validTo`; one per consent however often it is queued. */
function expiryJob(consent: Pick<ConsentRequest, 'id' | 'tenantId' | 'validTo'>, now: number): StatusJob {
  return jobOf(
    QueueName.ConsentStatus,
    'expire',
    { kind: 'expire', tenantId: consent.tenantId, consentId: consent.id },
    { jobId: jobIds.consentExpiry(consent.id), delay: Math.max(0, consent.validTo.getTime() - now) },
  );
}
