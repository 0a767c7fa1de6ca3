import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { parseJob, QueueName, settleJob } from '@gw/queue';
import { type DelegationCheckResult, DelegationCheckService } from '@gw/tenants';

/** `delegation-check`: a Maskinporten token per delegated scope of one tenant, result recorded per scope. */
@Processor(QueueName.DelegationCheck, { concurrency: 4 })
export class DelegationCheckProcessor extends WorkerHost {
  constructor(
    private readonly delegation: DelegationCheckService,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<DelegationCheckResult> {
    const { payload } = parseJob(QueueName.DelegationCheck, job);
    return settleJob(QueueName.DelegationCheck, job, token, () =>
      this.breakers.guard(this, ['maskinporten'], () => this.delegation.checkDelegation(payload.tenantId)),
    );
  }
}
