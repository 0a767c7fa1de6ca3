import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { ConsentSweeper, ConsentUpstreamService } from '@gw/consent';
import { type JobPayloads, QueueName } from '@gw/queue';
import { asTenantId } from '@gw/tenants';

/** `consent-create`: one consent request to Altinn per job (jobId = consent id), plus the pending sweeper. */
@Processor(QueueName.ConsentCreate, { concurrency: 32 })
export class ConsentCreateProcessor extends WorkerHost {
  constructor(
    private readonly consents: ConsentUpstreamService,
    private readonly sweeper: ConsentSweeper,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['consent-create']>): Promise<unknown> {
    if (job.name === 'sweep') return this.sweeper.sweep();
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return {
      outcome: await this.consents.submit(asTenantId(job.data.tenantId), job.data.consentId, lastAttempt),
    };
  }
}
