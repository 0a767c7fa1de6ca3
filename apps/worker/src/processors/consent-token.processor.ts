import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentUpstreamService } from '@gw/consent';
import { MaskinportenError } from '@gw/maskinporten';
import { type JobPayloads, QueueName } from '@gw/queue';
import { asTenantId } from '@gw/tenants';

/** `consent-token`: fetches a consent token into the shared token cache; the job carries no token. */
@Processor(QueueName.ConsentToken, { concurrency: 32 })
export class ConsentTokenProcessor extends WorkerHost {
  constructor(
    private readonly consents: ConsentUpstreamService,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['consent-token']>): Promise<unknown> {
    try {
      return await this.breakers.guard(this, ['maskinporten'], () =>
        this.consents.warmConsentToken(asTenantId(job.data.tenantId), job.data.consentId, job.data.scope),
      );
    } catch (error) {
      // Maskinporten refused for good (consent revoked, scope not delegated…): no retry, the code tells why.
      if (error instanceof MaskinportenError && !error.retryable) {
        throw new UnrecoverableError(`${error.code}${error.mpCode ? ` (${error.mpCode})` : ''}`);
      }
      throw error;
    }
  }
}
