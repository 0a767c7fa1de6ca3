import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { ConsentSweeper, ConsentUpstreamService, RetryableUpstreamError } from '@gw/consent';
import { type JobPayloads, QueueName } from '@gw/queue';
import { asTenantId } from '@gw/tenants';
import { WORKER_CONCURRENCY, type WorkerConcurrency } from '../worker-concurrency';

/** `consent-create`: one consent request to Altinn per job (jobId = consent id), plus the pending sweeper. */
@Processor(QueueName.ConsentCreate)
export class ConsentCreateProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly consents: ConsentUpstreamService,
    private readonly sweeper: ConsentSweeper,
    @Inject(WORKER_CONCURRENCY) private readonly concurrency: WorkerConcurrency,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  /** The worker exists once modules are initialised; its concurrency comes from the config. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency.consentCreate;
  }

  async process(job: Job<JobPayloads['consent-create']>, token?: string): Promise<unknown> {
    if (job.name === 'sweep') return this.sweeper.sweep();
    return this.breakers.guard(this, ['maskinporten', 'altinn'], () => this.create(job, token));
  }

  private async create(job: Job<JobPayloads['consent-create']>, token?: string): Promise<unknown> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return {
        outcome: await this.consents.submit(
          asTenantId(job.data.tenantId),
          job.data.consentId,
          lastAttempt,
          job.attemptsMade,
        ),
      };
    } catch (error) {
      // Altinn said how long to wait (429/503 `Retry-After`): the same job waits that long. A re-delay
      // spends no attempt, so only the first few waits are honoured this way; later ones take the backoff.
      if (
        error instanceof RetryableUpstreamError &&
        error.retryAfterMs !== undefined &&
        job.attemptsStarted <= 2 * (job.opts.attempts ?? 1)
      ) {
        await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
        throw new DelayedError();
      }
      throw error;
    }
  }
}
