import { Injectable } from '@nestjs/common';
import { isLastAttempt, type JobAttempt, type ParsedJob, type ParsedPayload } from '@gw/queue';
import { ConsentStatusScheduler } from './consent-status.scheduler';
import { ConsentSweeper } from './consent-sweeper';
import { ConsentUpstreamService, type SubmitOutcome } from './consent-upstream.service';

/**
 * What each consent job does, one method per job, for the worker's processors: they parse the job, call
 * one of these and report the result. Every decision about the job's work is made here.
 */
@Injectable()
export class ConsentJobs {
  constructor(
    private readonly upstream: ConsentUpstreamService,
    private readonly scheduler: ConsentStatusScheduler,
    private readonly sweeper: ConsentSweeper,
  ) {}

  /**
   * `consent-create` `create`: one submission to Altinn. On its last attempt a failure that could still
   * pass marks the request `failed` instead of being retried.
   */
  async create(
    payload: ParsedPayload<'consent-create', 'create'>,
    attempt: JobAttempt,
  ): Promise<{ outcome: SubmitOutcome }> {
    return {
      outcome: await this.upstream.submit(
        payload.tenantId,
        payload.consentId,
        isLastAttempt(attempt),
        attempt.attemptsMade,
        payload.announce === true,
      ),
    };
  }

  /** `consent-create` `sweep`: the pending requests that lost their job get it back. */
  sweep(): Promise<{ requeued: number }> {
    return this.sweeper.sweep();
  }

  /** `consent-status`: an early or on-demand GET, the tenant's event feed, or the expiry at `validTo`. */
  async track(job: ParsedJob<'consent-status'>): Promise<unknown> {
    const { payload } = job;
    switch (payload.kind) {
      case 'refresh': {
        const consent = await this.upstream.refresh(payload.tenantId, payload.consentId);
        // docs/architecture.md flow 3b: keep asking while the person has not decided, then the feed takes over.
        await this.scheduler.afterRefresh(consent, payload.attempt);
        return { status: consent?.status ?? null };
      }
      case 'feed':
        return this.upstream.pollFeed(payload.tenantId);
      case 'expire':
        return { expired: (await this.upstream.expire(payload.tenantId, payload.consentId)) !== undefined };
    }
  }

  /** `consent-token`: a consent token into the shared token cache; the job carries no token. */
  warmToken(payload: ParsedPayload<'consent-token', 'token'>): Promise<{ expiresAt: string }> {
    return this.upstream.warmConsentToken(payload.tenantId, payload.consentId, payload.scope);
  }
}
