import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { jobIds, type JobPayloads, jobOf, QueueName, type RestoreReason, ScheduleKeeper } from '@gw/queue';
import { delegationCheckOwed } from './domain/delegation-check-owed';
import { TenantRepository } from './tenant.repository';

const PAGE = 500;

/**
 * Queues the delegation checks Redis lost with its data (restarted empty, flushed): every tenant
 * whose check is still owed (docs/events.md, recovery after Redis loses its data). A check is
 * idempotent, so one more than needed costs a token request per scope, never a wrong result.
 */
@Injectable()
export class DelegationCheckRestorer implements OnModuleInit {
  private readonly logger = new Logger(DelegationCheckRestorer.name);

  constructor(
    private readonly tenants: TenantRepository,
    @InjectQueue(QueueName.DelegationCheck)
    private readonly checks: Queue<JobPayloads['delegation-check']>,
    private readonly keeper: ScheduleKeeper,
  ) {}

  onModuleInit(): void {
    this.keeper.register({
      name: 'delegation checks',
      restore: async (reason) => {
        await this.restore(reason);
      },
    });
  }

  /** At a worker's start the queued checks are still in Redis: only a loss of its data restores. */
  async restore(reason: RestoreReason): Promise<{ queued: number }> {
    if (reason !== 'lost') return { queued: 0 };
    let queued = 0;
    for (let after: string | undefined; ;) {
      const page = await this.tenants.list({ after, limit: PAGE });
      const pending = await this.tenantsWithCheckQueued();
      const owed = page
        .slice(0, PAGE)
        .filter((tenant) => delegationCheckOwed(tenant) && !pending.has(tenant.id));
      if (owed.length > 0) {
        // One job per tenant however often this runs while it waits (several workers may restore).
        await this.checks.addBulk(
          owed.map((tenant) =>
            jobOf(
              QueueName.DelegationCheck,
              'delegation-check',
              { tenantId: tenant.id },
              { jobId: jobIds.restoredDelegationCheck(tenant.id) },
            ),
          ),
        );
        queued += owed.length;
      }
      if (page.length <= PAGE) break;
      after = page[PAGE - 1].id;
    }
    if (queued > 0) this.logger.warn(`Queued ${queued} delegation checks whose jobs Redis lost`);
    return { queued };
  }

  /**
   * Tenants whose check is still in the queue. A worker's first start on an empty Redis looks like a
   * loss of data; a tenant onboarded just then already has its check queued and must not get a second.
   */
  private async tenantsWithCheckQueued(): Promise<Set<string>> {
    const jobs = await this.checks.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'paused']);
    return new Set(jobs.map((job) => job.data.tenantId));
  }
}
