import { type EntityManager } from 'typeorm';
import { type Caller } from '@gw/audit';
import { type FakeDataSource, InMemoryTable, settled } from '@gw/persistence/testing';
import {
  asTenantId,
  type DelegationState,
  type Tenant,
  type TenantId,
  type TenantScope,
  type TenantStatus,
} from '@gw/tenants';
import { type TenantFilter, type TenantRepository } from '../src/tenant.repository';

/**
 * `tenants` and `tenant_scopes` in memory, with the real repository's contract: ids in creation order,
 * `limit + 1` rows per page, an org number registered once, writes only inside an open transaction.
 * `failNextWrite` makes the next write fail as a lost connection would.
 */
export class FakeTenantRepository implements Pick<
  TenantRepository,
  'find' | 'list' | 'insert' | 'update' | 'addScopes' | 'removeScopes'
> {
  private readonly table = new InMemoryTable<Tenant>();
  failNextWrite?: Error;

  constructor(
    private readonly db: FakeDataSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.register(this.table);
  }

  asTenantRepository(): TenantRepository {
    return this as unknown as TenantRepository;
  }

  /** A tenant as it would be after onboarding; for arranging a test. */
  seed(tenant: Partial<Tenant> & { id: string; orgNumber: string }): Tenant {
    const at = this.now().toISOString();
    const seeded: Tenant = {
      name: `Tenant ${tenant.orgNumber}`,
      status: 'active',
      scopes: [],
      delegation: 'none',
      createdAt: at,
      updatedAt: at,
      ...tenant,
      id: asTenantId(tenant.id),
    };
    this.table.set(seeded.id, withDelegation(seeded));
    return seeded;
  }

  find(tenantId: TenantId, manager?: EntityManager): Promise<Tenant | undefined> {
    return settled(() => {
      this.db.assertOpen(manager);
      return this.table.get(tenantId);
    });
  }

  list(filter: TenantFilter): Promise<Tenant[]> {
    const needle = filter.nameContains?.toLowerCase();
    const rows = this.table
      .values()
      .filter(
        (tenant) =>
          (filter.status === undefined || tenant.status === filter.status) &&
          (filter.orgNumber === undefined || tenant.orgNumber === filter.orgNumber) &&
          (needle === undefined || tenant.name.toLowerCase().includes(needle)) &&
          (filter.delegation === undefined || tenant.delegation === filter.delegation) &&
          (filter.after === undefined || tenant.id > filter.after),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, filter.limit + 1);
    return Promise.resolve(rows);
  }

  insert(
    manager: EntityManager,
    tenant: { id: TenantId; orgNumber: string; name: string; scopes: string[] },
  ): Promise<boolean> {
    return settled(() => {
      this.write(manager);
      if (this.table.values().some((existing) => existing.orgNumber === tenant.orgNumber)) return false;
      const at = this.now().toISOString();
      this.table.set(
        tenant.id,
        withDelegation({
          id: tenant.id,
          orgNumber: tenant.orgNumber,
          name: tenant.name,
          status: 'active',
          scopes: [...new Set(tenant.scopes)].sort().map(unchecked),
          delegation: 'none',
          createdAt: at,
          updatedAt: at,
        }),
      );
      return true;
    });
  }

  update(
    manager: EntityManager,
    tenantId: TenantId,
    changes: { name?: string; status?: TenantStatus },
  ): Promise<void> {
    return settled(() => {
      this.write(manager);
      this.change(tenantId, (tenant) => ({
        ...tenant,
        name: changes.name ?? tenant.name,
        status: changes.status ?? tenant.status,
        updatedAt: this.now().toISOString(),
      }));
    });
  }

  addScopes(manager: EntityManager, tenantId: TenantId, scopes: string[]): Promise<void> {
    return settled(() => {
      if (scopes.length === 0) return;
      this.write(manager);
      this.change(tenantId, (tenant) => {
        const have = new Set(tenant.scopes.map((scope) => scope.scope));
        const added = scopes.filter((scope) => !have.has(scope)).map(unchecked);
        return { ...tenant, scopes: [...tenant.scopes, ...added].sort(byScope) };
      });
    });
  }

  removeScopes(manager: EntityManager, tenantId: TenantId, scopes: string[]): Promise<void> {
    return settled(() => {
      if (scopes.length === 0) return;
      this.write(manager);
      this.change(tenantId, (tenant) => ({
        ...tenant,
        scopes: tenant.scopes.filter((scope) => !scopes.includes(scope.scope)),
      }));
    });
  }

  /** A delegation check's result, as the worker would record it. */
  verifyScope(tenantId: TenantId, scope: string, checkedAt: Date): void {
    this.change(tenantId, (tenant) => ({
      ...tenant,
      scopes: tenant.scopes.map((held) =>
        held.scope === scope ? { ...held, verifiedAt: checkedAt.toISOString(), lastError: null } : held,
      ),
    }));
  }

  private write(manager: EntityManager): void {
    this.db.assertOpen(manager);
    const failure = this.failNextWrite;
    this.failNextWrite = undefined;
    if (failure) throw failure;
  }

  private change(tenantId: TenantId, edit: (tenant: Tenant) => Tenant): void {
    const tenant = this.table.get(tenantId);
    if (tenant) this.table.set(tenantId, withDelegation(edit(tenant)));
  }
}

function unchecked(scope: string): TenantScope {
  return { scope, verifiedAt: null, lastError: null };
}

function byScope(a: TenantScope, b: TenantScope): number {
  return a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0;
}

/** The repository's DELEGATION_STATE: failing, else pending, else verified; none without scopes. */
function withDelegation(tenant: Tenant): Tenant {
  const { scopes } = tenant;
  const delegation: DelegationState =
    scopes.length === 0
      ? 'none'
      : scopes.some((scope) => scope.lastError !== null)
        ? 'failing'
        : scopes.some((scope) => scope.verifiedAt === null)
          ? 'pending'
          : 'verified';
  return { ...tenant, delegation };
}

/** A tenant acting through one of its API keys: the caller tenant-scoped services take. */
export type TenantCaller = Caller & { tenantId: TenantId; orgNumber: string };

/** Two tenants with valid org numbers, for tests that one never reaches the other's data. */
export const TENANT_A: TenantCaller = {
  tenantId: asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901'),
  orgNumber: '313876144',
  actor: 'sgw_test_AbCd1234',
  requestId: 'req-a',
};
export const TENANT_B: TenantCaller = {
  tenantId: asTenantId('0192f3a4-5b6c-7d8e-9f01-b12345678901'),
  orgNumber: '974760673',
  actor: 'sgw_test_ZyXw9876',
};
