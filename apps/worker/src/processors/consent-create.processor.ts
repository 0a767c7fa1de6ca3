import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentJobs, consentJobUpstreams } from '@gw/consent';
import { attemptOf, parseJob, QueueName, settleJob } from '@gw/queue';
import { WORKER_CONCURRENCY, type WorkerConcurrency } from '../worker-concurrency';

/** `consent-create`: one consent request to Altinn per job (jobId = consent id), plus the pending sweep. */
@Processor(QueueName.ConsentCreate)
export class ConsentCreateProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly consents: ConsentJobs,
    @Inject(WORKER_CONCURRENCY) private readonly concurrency: WorkerConcurrency,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  /** The worker exists once modules are initialised; its concurrency comes from the config. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency.consentCreate;
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const parsed = parseJob(QueueName.ConsentCreate, job);
    if (parsed.name === 'sweep') return this.consents.sweep();
    return settleJob(QueueName.ConsentCreate, job, token, () =>
      this.breakers.guard(this, consentJobUpstreams(parsed.name), () =>
        this.consents.create(parsed.payload, attemptOf(job)),
      ),
    );
  }
}
