import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentJobs, consentJobUpstreams } from '@gw/consent';
import { parseJob, QueueName, settleJob } from '@gw/queue';

/** `consent-status`: early and on-demand GETs, the per-tenant feed, and the expiry at `validTo`. */
@Processor(QueueName.ConsentStatus, { concurrency: 16 })
export class ConsentStatusProcessor extends WorkerHost {
  constructor(
    private readonly consents: ConsentJobs,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const parsed = parseJob(QueueName.ConsentStatus, job);
    const upstreams = consentJobUpstreams(parsed.name);
    return settleJob(QueueName.ConsentStatus, job, token, () =>
      upstreams.length === 0
        ? this.consents.track(parsed)
        : this.breakers.guard(this, upstreams, () => this.consents.track(parsed)),
    );
  }
}
