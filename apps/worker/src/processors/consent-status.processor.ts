import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AltinnError } from '@gw/altinn';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentStatusScheduler, ConsentUpstreamService } from '@gw/consent';
import { type ConsentStatusJob, QueueName } from '@gw/queue';
import { asTenantId } from '@gw/tenants';

/** `consent-status`: early and on-demand GETs, the per-tenant feed, and the expiry at `validTo`. */
@Processor(QueueName.ConsentStatus, { concurrency: 16 })
export class ConsentStatusProcessor extends WorkerHost {
  constructor(
    private readonly consents: ConsentUpstreamService,
    private readonly scheduler: ConsentStatusScheduler,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job<ConsentStatusJob>): Promise<unknown> {
    try {
      // The expiry needs no upstream: it runs whatever the breakers say.
      if (job.data.kind === 'expire') return await this.track(job.data);
      return await this.breakers.guard(this, ['maskinporten', 'altinn'], () => this.track(job.data));
    } catch (error) {
      // Altinn refused for good (e.g. AM-00001, a consent it does not know): retrying cannot help; the next
      // scheduled poll or refresh asks again.
      if (error instanceof AltinnError && !error.isRetryable) {
        throw new UnrecoverableError(`${error.code}${error.upstreamCode ? ` (${error.upstreamCode})` : ''}`);
      }
      throw error;
    }
  }

  private async track(data: ConsentStatusJob): Promise<unknown> {
    const tenantId = asTenantId(data.tenantId);
    switch (data.kind) {
      case 'refresh': {
        const consent = await this.consents.refresh(tenantId, data.consentId);
        // docs/architecture.md flow 3b: keep asking while the person has not decided, then the feed takes
        // over.
        if (consent?.status === 'created' && data.attempt !== undefined) {
          await this.scheduler.scheduleRefresh(consent, data.attempt + 1);
        }
        return { status: consent?.status ?? null };
      }
      case 'feed':
        return this.consents.pollFeed(tenantId);
      case 'expire':
        return { expired: (await this.consents.expire(tenantId, data.consentId)) !== undefined };
    }
  }
}
