import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { type JobPayloads, QueueName } from '@gw/queue';
import { asTenantId, type DelegationCheckResult, DelegationCheckService, TenantsError } from '@gw/tenants';

const payloadSchema = z.object({ tenantId: z.uuid() });

/** `delegation-check`: a Maskinporten token per delegated scope of one tenant, result recorded per scope. */
@Processor(QueueName.DelegationCheck, { concurrency: 4 })
export class DelegationCheckProcessor extends WorkerHost {
  constructor(
    private readonly delegation: DelegationCheckService,
    private readonly breakers: CircuitBreakers,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['delegation-check']>): Promise<DelegationCheckResult> {
    const payload = payloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('delegation-check job without a valid tenantId');
    try {
      const tenantId = asTenantId(payload.data.tenantId);
      return await this.breakers.guard(this, ['maskinporten'], () =>
        this.delegation.checkDelegation(tenantId),
      );
    } catch (error) {
      // An unknown tenant will not appear by retrying; an unreachable Maskinporten may come back.
      if (error instanceof TenantsError && error.code === 'tenants.not_found') {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }
}
