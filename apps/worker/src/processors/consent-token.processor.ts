import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentJobs, consentJobUpstreams } from '@gw/consent';
import { parseJob, QueueName, settleJob } from '@gw/queue';

/** `consent-token`: fetches a consent token into the shared token cache; the job carries no token. */
@Processor(QueueName.ConsentToken, { concurrency: 32 })
export class ConsentTokenProcessor extends WorkerHost {
  constructor(
    private readonly consents: ConsentJobs,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const parsed = parseJob(QueueName.ConsentToken, job);
    return settleJob(QueueName.ConsentToken, job, token, () =>
      this.breakers.guard(this, consentJobUpstreams(parsed.name), () =>
        this.consents.warmToken(parsed.payload),
      ),
    );
  }
}
