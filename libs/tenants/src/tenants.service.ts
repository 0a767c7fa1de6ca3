import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditService, type Caller } from '@gw/audit';
import { decodeCursor, type Page, pageOf } from '@gw/http';
import { inTransaction } from '@gw/persistence';
import { type JobPayloads, jobName, QueueName } from '@gw/queue';
import { isValidOrgNumber } from '@gw/identifiers';
import { scopeChanges } from './domain/scope-changes';
import { tenantStatusChange } from './domain/tenant-status';
import { TenantOffboardingHooks } from './tenant-offboarding';
import { TenantStatusListeners } from './tenant-status-listeners';
import { TenantRepository } from './tenant.repository';
import { asTenantId, newTenantId, type Tenant, type TenantId } from './tenant.entity';
import { TenantsError } from './tenants.errors';
import { type CreateTenantInput, type ListTenantsQuery, type UpdateTenantInput } from './tenants.schemas';

const positionSchema = z.object({ id: z.uuid() });
const ENQUEUE_TIMEOUT_MS = 5_000;

/** The tenant registry: onboarding, changes, offboarding, and queuing delegation checks. */
@Injectable()
export class TenantsService {
  private readonly logger = new Logger(TenantsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantRepository,
    private readonly audit: AuditService,
    private readonly offboardingHooks: TenantOffboardingHooks,
    private readonly statusListeners: TenantStatusListeners,
    @InjectQueue(QueueName.DelegationCheck)
    private readonly delegationChecks: Queue<JobPayloads['delegation-check']>,
  ) {}

  /** Onboards a tenant and queues the check of the scopes it says it delegated. */
  async create(caller: Caller, input: CreateTenantInput): Promise<Tenant> {
    if (!isValidOrgNumber(input.orgNumber)) {
      throw new TenantsError(
        'tenants.invalid_org_number',
        `${input.orgNumber} is not a valid organisation number`,
      );
    }
    const id = newTenantId();
    const tenant = await inTransaction(this.dataSource, async (manager) => {
      const inserted = await this.tenants.insert(manager, { id, ...input });
      if (!inserted) {
        throw new TenantsError(
          'tenants.duplicate_org_number',
          `Organisation ${input.orgNumber} is already registered as a tenant`,
          { orgNumber: input.orgNumber },
        );
      }
      await this.audit.record(
        caller,
        {
          tenantId: id,
          action: 'tenant.created',
          target: `tenant:${id}`,
          details: { orgNumber: input.orgNumber, name: input.name, scopes: input.scopes },
        },
        manager,
      );
      return this.mustFind(id, manager);
    });
    if (input.scopes.length > 0) await this.enqueueAfterCommit(id);
    return tenant;
  }

  async get(tenantId: TenantId): Promise<Tenant> {
    return this.mustFind(tenantId);
  }

  /** The tenants the query selects, a cursor page at a time in creation order. */
  async list(query: ListTenantsQuery): Promise<Page<Tenant>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, positionSchema).id;
    const rows = await this.tenants.list({
      status: query.status,
      orgNumber: query.orgNumber,
      nameContains: query.q,
      delegation: query.delegation,
      after,
      limit: query.limit,
    });
    return pageOf(
      rows,
      query.limit,
      (tenant) => ({ id: tenant.id }),
      (tenant) => tenant,
    );
  }

  /** Renames, replaces the scopes (added ones are checked again), suspends or resumes. */
  async update(caller: Caller, tenantId: TenantId, patch: UpdateTenantInput): Promise<Tenant> {
    let recheck = false;
    let statusChanged = false;
    const tenant = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.mustFind(tenantId, manager, true);
      if (current.status === 'offboarded') throw offboarded(tenantId);
      const record = (action: `${string}.${string}`, details: Record<string, string | string[]>) =>
        this.audit.record(caller, { tenantId, action, target: `tenant:${tenantId}`, details }, manager);

      if (patch.status !== undefined) {
        const change = tenantStatusChange(current.status, patch.status);
        if (!change.ok) throw offboarded(tenantId);
        if (change.changed) {
          await this.tenants.update(manager, tenantId, { status: patch.status });
          await record(`tenant.${change.action}`, { from: current.status, to: patch.status });
          statusChanged = true;
        }
      }
      if (patch.name !== undefined && patch.name !== current.name) {
        await this.tenants.update(manager, tenantId, { name: patch.name });
        await record('tenant.renamed', { from: current.name, to: patch.name });
      }
      if (patch.scopes !== undefined) {
        const { added, removed } = scopeChanges(
          current.scopes.map((scope) => scope.scope),
          patch.scopes,
        );
        if (added.length > 0 || removed.length > 0) {
          await this.tenants.removeScopes(manager, tenantId, removed);
          await this.tenants.addScopes(manager, tenantId, added);
          await this.tenants.update(manager, tenantId, {});
          await record('tenant.scopes_changed', { added, removed });
          recheck = added.length > 0;
        }
      }
      return this.mustFind(tenantId, manager);
    });
    if (statusChanged) await this.statusListeners.notify(tenantId, tenant.status);
    if (recheck) await this.enqueueAfterCommit(tenantId);
    return tenant;
  }

  /** Offboards: final; the tenant's keys are revoked (by the hooks) and its data kept for audit. */
  async offboard(caller: Caller, tenantId: TenantId): Promise<Tenant> {
    const tenant = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.mustFind(tenantId, manager, true);
      const change = tenantStatusChange(current.status, 'offboarded');
      if (!change.ok) throw offboarded(tenantId);
      await this.tenants.update(manager, tenantId, { status: 'offboarded' });
      await this.offboardingHooks.run(caller, tenantId, manager);
      await this.audit.record(
        caller,
        {
          tenantId,
          action: 'tenant.offboarded',
          target: `tenant:${tenantId}`,
          details: { from: current.status },
        },
        manager,
      );
      return this.mustFind(tenantId, manager);
    });
    await this.statusListeners.notify(tenantId, tenant.status);
    return tenant;
  }

  /** Queues a delegation check on demand; the result shows on the tenant's scopes once the worker ran it. */
  async requestDelegationCheck(
    caller: Caller,
    tenantId: TenantId,
  ): Promise<{ tenantId: TenantId; jobId: string }> {
    const tenant = await this.mustFind(tenantId);
    if (tenant.status === 'offboarded') throw offboarded(tenantId);
    const jobId = await this.enqueue(tenantId);
    await this.audit.record(caller, {
      tenantId,
      action: 'delegation_check.requested',
      target: `tenant:${tenantId}`,
      details: { jobId, scopes: tenant.scopes.map((scope) => scope.scope) },
    });
    return { tenantId, jobId };
  }

  private async mustFind(
    tenantId: TenantId,
    manager?: Parameters<TenantRepository['find']>[1],
    lock = false,
  ) {
    const tenant = await this.tenants.find(asTenantId(tenantId), manager, lock);
    if (!tenant) throw new TenantsError('tenants.not_found', `No tenant ${tenantId}`);
    return tenant;
  }

  private async enqueue(tenantId: TenantId): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const job = await Promise.race([
        this.delegationChecks.add(jobName(QueueName.DelegationCheck, 'delegation-check'), { tenantId }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
            ENQUEUE_TIMEOUT_MS,
          );
        }),
      ]);
      return job.id ?? '';
    } catch (error) {
      throw new TenantsError(
        'tenants.delegation_check_not_queued',
        `The delegation check could not be queued: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * After a committed change the check is a follow-up: a queue outage must not undo the change, and the
   * unchecked scopes stay visible (no verifiedAt, no lastError) until the operator asks again.
   */
  private async enqueueAfterCommit(tenantId: TenantId): Promise<void> {
    try {
      await this.enqueue(tenantId);
    } catch (error) {
      this.logger.warn(`Tenant ${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function offboarded(tenantId: TenantId): TenantsError {
  return new TenantsError('tenants.offboarded', `Tenant ${tenantId} is offboarded and cannot change`);
}
