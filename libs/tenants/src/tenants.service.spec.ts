import { Logger } from '@nestjs/common';
import { FakeAuditService } from '@gw/audit/testing';
import { FakeDataSource } from '@gw/persistence/testing';
import { QueueName } from '@gw/queue';
import { FakeQueue } from '@gw/queue/testing';
import { FakeTenantRepository } from '@gw/tenants/testing';
import { type TenantStatus } from './domain/tenant-status';
import { TenantOffboardingHooks } from './tenant-offboarding';
import { TenantStatusListeners } from './tenant-status-listeners';
import { asTenantId, type TenantId } from './tenant.entity';
import { type CreateTenantInput } from './tenants.schemas';
import { TenantsService } from './tenants.service';

// TenantsService over in-memory fakes: what it stores, audits and queues, and what it leaves alone when
// a rule or a collaborator says no.

const ADMIN = { actor: 'admin:7f3a', requestId: 'req-1' };
const ORG = '313876144';
const READ = 'altinn:consentrequests.read';
const WRITE = 'altinn:consentrequests.write';
const UNKNOWN = asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901');

function setup() {
  const db = new FakeDataSource();
  const tenants = new FakeTenantRepository(db);
  const audit = new FakeAuditService(db);
  const offboarding = new TenantOffboardingHooks();
  const listeners = new TenantStatusListeners();
  const checks = new FakeQueue<{ tenantId: string }>(QueueName.DelegationCheck);
  /** What status listeners heard, and how many transactions had committed when they did. */
  const heard: { tenantId: TenantId; status: TenantStatus; afterCommits: number }[] = [];
  listeners.register((tenantId, status) => {
    heard.push({ tenantId, status, afterCommits: db.committed });
    return Promise.resolve();
  });
  const service = new TenantsService(
    db.asDataSource(),
    tenants.asTenantRepository(),
    audit.asAuditService(),
    offboarding,
    listeners,
    checks.asQueue(),
  );
  const onboard = (input: Partial<CreateTenantInput> = {}) =>
    service.create(ADMIN, { orgNumber: ORG, name: 'Sparebank Super', scopes: [], ...input });
  return { db, tenants, audit, offboarding, checks, heard, service, onboard };
}

beforeAll(() => Logger.overrideLogger(false));

describe('TenantsService.create', () => {
  it('refuses an org number that fails the MOD11 check, storing and queuing nothing', async () => {
    const { service, tenants, audit, checks } = setup();
    await expect(
      service.create(ADMIN, { orgNumber: '313876145', name: 'Typo AS', scopes: [READ] }),
    ).rejects.toMatchObject({ code: 'tenants.invalid_org_number' });
    expect(await tenants.list({ limit: 10 })).toEqual([]);
    expect([audit.records, checks.jobs]).toEqual([[], []]);
  });

  it('onboards the tenant with its scopes unchecked, audits it as the caller and queues its delegation check', async () => {
    const { service, audit, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ, WRITE] });

    expect(tenant).toMatchObject({
      orgNumber: ORG,
      name: 'Sparebank Super',
      status: 'active',
      delegation: 'pending',
      scopes: [
        { scope: READ, verifiedAt: null, lastError: null },
        { scope: WRITE, verifiedAt: null, lastError: null },
      ],
    });
    expect(await service.get(tenant.id)).toEqual(tenant);
    expect(audit.records).toEqual([
      {
        actor: ADMIN.actor,
        requestId: ADMIN.requestId,
        tenantId: tenant.id,
        action: 'tenant.created',
        target: `tenant:${tenant.id}`,
        details: { orgNumber: ORG, name: 'Sparebank Super', scopes: [READ, WRITE] },
      },
    ]);
    expect(checks.jobs.map((job) => [job.name, job.data])).toEqual([
      [QueueName.DelegationCheck, { tenantId: tenant.id }],
    ]);
  });

  it('queues no delegation check for a tenant without scopes', async () => {
    const { checks, onboard } = setup();
    const tenant = await onboard();
    expect(tenant.delegation).toBe('none');
    expect(checks.jobs).toEqual([]);
  });

  it('refuses a second tenant with the same org number and leaves the first as it was', async () => {
    const { service, audit, checks, onboard } = setup();
    const first = await onboard({ scopes: [READ] });

    const second = onboard({ name: 'Impostor AS' });
    await expect(second).rejects.toMatchObject({
      code: 'tenants.duplicate_org_number',
      problemExtensions: { orgNumber: ORG },
    });
    expect(await service.list({ limit: 50 })).toEqual({ data: [first], next: null });
    expect(audit.actions).toEqual(['tenant.created']);
    expect(checks.jobs).toHaveLength(1);
  });

  it('keeps the onboarded tenant when its delegation check cannot be queued', async () => {
    const { service, checks, onboard } = setup();
    checks.unavailable = true;
    const tenant = await onboard({ scopes: [READ] });
    expect((await service.get(tenant.id)).scopes).toEqual([
      { scope: READ, verifiedAt: null, lastError: null },
    ]);
    expect(checks.jobs).toEqual([]);
  });

  it('stores no tenant when its audit record cannot be written, and queues no check for it', async () => {
    const { service, audit, checks, onboard } = setup();
    audit.failNext = new Error('connection terminated');
    await expect(onboard({ scopes: [READ] })).rejects.toThrow('connection terminated');
    expect(await service.list({ limit: 50 })).toEqual({ data: [], next: null });
    expect(checks.jobs).toEqual([]);
    // The org number is free again: nothing of the failed onboarding stayed.
    await expect(onboard()).resolves.toMatchObject({ orgNumber: ORG });
  });
});

describe('TenantsService.get and list', () => {
  it('answers tenants.not_found for an id no tenant has', async () => {
    const { service } = setup();
    await expect(service.get(UNKNOWN)).rejects.toMatchObject({ code: 'tenants.not_found' });
  });

  it('pages through every tenant once, each page continuing after the last one it handed out', async () => {
    const { service, onboard } = setup();
    const orgs = ['310000000', '310000019', '310000027', '310000035', '310000043'];
    const created = [];
    for (const orgNumber of orgs) created.push(await onboard({ orgNumber, name: `Bank ${orgNumber}` }));

    const first = await service.list({ limit: 2 });
    const second = await service.list({ limit: 2, cursor: first.next! });
    const third = await service.list({ limit: 2, cursor: second.next! });

    expect([first, second, third].map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(third.next).toBeNull();
    // Keyset order is id order (UUIDv7: creation order to the millisecond).
    const ids = created.map((tenant) => tenant.id).sort();
    expect([...first.data, ...second.data, ...third.data].map((tenant) => tenant.id)).toEqual(ids);
  });

  it('narrows the listing by status and by part of the name, in any case', async () => {
    const { service, onboard } = setup();
    await onboard({ orgNumber: '310000000', name: 'Nordbank' });
    const suspended = await onboard({ orgNumber: '310000019', name: 'Sørbank' });
    await onboard({ orgNumber: '310000027', name: 'Vestkredit' });
    await service.update(ADMIN, suspended.id, { status: 'suspended' });

    const bySuspended = await service.list({ limit: 50, status: 'suspended' });
    const byName = await service.list({ limit: 50, q: 'BANK' });
    expect(bySuspended.data.map((tenant) => tenant.name)).toEqual(['Sørbank']);
    expect(byName.data.map((tenant) => tenant.name).sort()).toEqual(['Nordbank', 'Sørbank']);
  });

  it('refuses a cursor it did not issue with http.invalid_cursor', async () => {
    const { service } = setup();
    const forged = Buffer.from(JSON.stringify({ id: 'not-a-uuid' })).toString('base64url');
    await expect(service.list({ limit: 10, cursor: forged })).rejects.toMatchObject({
      code: 'http.invalid_cursor',
    });
  });
});

describe('TenantsService.update', () => {
  it('suspends and resumes, auditing each change and telling the listeners only after it committed', async () => {
    const { service, audit, heard, onboard } = setup();
    const tenant = await onboard();

    const suspended = await service.update(ADMIN, tenant.id, { status: 'suspended' });
    const commitsAfterSuspend = heard[0]?.afterCommits;
    const resumed = await service.update({ actor: 'admin:other' }, tenant.id, { status: 'active' });

    expect([suspended.status, resumed.status]).toEqual(['suspended', 'active']);
    expect(audit.records.slice(1)).toEqual([
      expect.objectContaining({
        actor: ADMIN.actor,
        action: 'tenant.suspended',
        details: { from: 'active', to: 'suspended' },
      }),
      expect.objectContaining({
        actor: 'admin:other',
        requestId: null,
        action: 'tenant.resumed',
        details: { from: 'suspended', to: 'active' },
      }),
    ]);
    expect(heard.map(({ tenantId, status }) => [tenantId, status])).toEqual([
      [tenant.id, 'suspended'],
      [tenant.id, 'active'],
    ]);
    // onboarding committed once, the suspension a second time: the listener ran after that commit.
    expect(commitsAfterSuspend).toBe(2);
  });

  it('records nothing and tells no listener when the patch changes nothing', async () => {
    const { service, audit, heard, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ] });
    const unchanged = await service.update(ADMIN, tenant.id, {
      status: 'active',
      name: tenant.name,
      scopes: [READ],
    });
    expect(unchanged).toEqual(tenant);
    expect(audit.actions).toEqual(['tenant.created']);
    expect([heard, checks.jobs.length]).toEqual([[], 1]);
  });

  it('renames the tenant and audits the old and the new name', async () => {
    const { service, audit, onboard } = setup();
    const tenant = await onboard();
    const renamed = await service.update(ADMIN, tenant.id, { name: 'Sparebank Super ASA' });
    expect(renamed.name).toBe('Sparebank Super ASA');
    expect(audit.records[1]).toMatchObject({
      action: 'tenant.renamed',
      target: `tenant:${tenant.id}`,
      details: { from: 'Sparebank Super', to: 'Sparebank Super ASA' },
    });
  });

  it('replaces the scopes, keeps the checks of the scopes it kept and queues a check for the added ones', async () => {
    const { service, tenants, audit, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ, 'altinn:old'] });
    tenants.verifyScope(tenant.id, READ, new Date('2026-01-15T10:00:00Z'));

    const updated = await service.update(ADMIN, tenant.id, { scopes: [READ, WRITE] });

    expect(updated.scopes).toEqual([
      { scope: READ, verifiedAt: '2026-01-15T10:00:00.000Z', lastError: null },
      { scope: WRITE, verifiedAt: null, lastError: null },
    ]);
    expect(audit.records[1]).toMatchObject({
      action: 'tenant.scopes_changed',
      details: { added: [WRITE], removed: ['altinn:old'] },
    });
    expect(checks.jobs.map((job) => job.data)).toEqual([{ tenantId: tenant.id }, { tenantId: tenant.id }]);
  });

  it('queues no check when scopes are only removed', async () => {
    const { service, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ, WRITE] });
    const updated = await service.update(ADMIN, tenant.id, { scopes: [READ] });
    expect(updated.scopes.map((scope) => scope.scope)).toEqual([READ]);
    expect(checks.jobs).toHaveLength(1);
  });

  it('refuses any change to an offboarded tenant with tenants.offboarded', async () => {
    const { service, audit, onboard } = setup();
    const tenant = await onboard();
    await service.offboard(ADMIN, tenant.id);
    for (const patch of [{ status: 'active' as const }, { name: 'Back again' }, { scopes: [READ] }]) {
      await expect(service.update(ADMIN, tenant.id, patch)).rejects.toMatchObject({
        code: 'tenants.offboarded',
      });
    }
    expect(await service.get(tenant.id)).toMatchObject({ status: 'offboarded', name: 'Sparebank Super' });
    expect(audit.actions).toEqual(['tenant.created', 'tenant.offboarded']);
  });

  it('answers tenants.not_found for an unknown tenant', async () => {
    const { service } = setup();
    await expect(service.update(ADMIN, UNKNOWN, { name: 'Ghost' })).rejects.toMatchObject({
      code: 'tenants.not_found',
    });
  });

  it('undoes the whole patch when a later part of it fails, and tells no listener', async () => {
    const { service, tenants, audit, heard, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ] });
    // The suspension and its record are written; the rename's write then fails.
    let writes = 0;
    const update = tenants.update.bind(tenants);
    tenants.update = (manager, tenantId, changes) => {
      writes += 1;
      if (writes === 2) tenants.failNextWrite = new Error('deadlock detected');
      return update(manager, tenantId, changes);
    };

    await expect(
      service.update(ADMIN, tenant.id, { status: 'suspended', name: 'Renamed', scopes: [WRITE] }),
    ).rejects.toThrow('deadlock detected');

    expect(await service.get(tenant.id)).toEqual(tenant);
    expect(audit.actions).toEqual(['tenant.created']);
    expect([heard, checks.jobs.length]).toEqual([[], 1]);
  });
});

describe('TenantsService.offboard', () => {
  it('offboards, runs the hooks in its transaction, audits the former status and tells the listeners', async () => {
    const { service, audit, offboarding, heard, onboard, db } = setup();
    const tenant = await onboard();
    await service.update(ADMIN, tenant.id, { status: 'suspended' });
    const hooked: string[] = [];
    offboarding.register((caller, tenantId, manager) => {
      db.assertOpen(manager);
      hooked.push(`${caller.actor} ${tenantId}`);
      return Promise.resolve();
    });

    const offboarded = await service.offboard(ADMIN, tenant.id);

    expect(offboarded.status).toBe('offboarded');
    expect(hooked).toEqual([`${ADMIN.actor} ${tenant.id}`]);
    expect(audit.records.at(-1)).toMatchObject({
      actor: ADMIN.actor,
      action: 'tenant.offboarded',
      target: `tenant:${tenant.id}`,
      details: { from: 'suspended' },
    });
    expect(heard.at(-1)).toMatchObject({ tenantId: tenant.id, status: 'offboarded' });
  });

  it('leaves the tenant as it was when a hook fails', async () => {
    const { service, audit, offboarding, heard, onboard } = setup();
    const tenant = await onboard();
    offboarding.register(() => Promise.reject(new Error('keys could not be revoked')));
    await expect(service.offboard(ADMIN, tenant.id)).rejects.toThrow('keys could not be revoked');
    expect((await service.get(tenant.id)).status).toBe('active');
    expect(audit.actions).toEqual(['tenant.created']);
    expect(heard).toEqual([]);
  });

  it('refuses to offboard twice with tenants.offboarded', async () => {
    const { service, audit, onboard } = setup();
    const tenant = await onboard();
    await service.offboard(ADMIN, tenant.id);
    await expect(service.offboard(ADMIN, tenant.id)).rejects.toMatchObject({ code: 'tenants.offboarded' });
    expect(audit.actions.filter((action) => action === 'tenant.offboarded')).toHaveLength(1);
  });
});

describe('TenantsService.requestDelegationCheck', () => {
  it('queues a check and audits it with the job id and the scopes it covers', async () => {
    const { service, audit, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ, WRITE] });

    const answer = await service.requestDelegationCheck(ADMIN, tenant.id);

    const job = checks.jobs.at(-1)!;
    expect(answer).toEqual({ tenantId: tenant.id, jobId: job.id });
    expect(job.data).toEqual({ tenantId: tenant.id });
    expect(audit.records.at(-1)).toEqual({
      actor: ADMIN.actor,
      requestId: ADMIN.requestId,
      tenantId: tenant.id,
      action: 'delegation_check.requested',
      target: `tenant:${tenant.id}`,
      details: { jobId: job.id, scopes: [READ, WRITE] },
    });
  });

  it('answers tenants.delegation_check_not_queued without Redis, and audits no request', async () => {
    const { service, audit, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ] });
    checks.unavailable = true;
    const refusal = service.requestDelegationCheck(ADMIN, tenant.id);
    await expect(refusal).rejects.toMatchObject({ code: 'tenants.delegation_check_not_queued' });
    expect(audit.actions).toEqual(['tenant.created']);
  });

  it('gives up on a queue that does not answer within 5 s with tenants.delegation_check_not_queued', async () => {
    const { service, audit, checks, onboard } = setup();
    const tenant = await onboard();
    checks.unresponsive = true;
    jest.useFakeTimers();
    try {
      const refusal = service.requestDelegationCheck(ADMIN, tenant.id);
      const settled = expect(refusal).rejects.toMatchObject({ code: 'tenants.delegation_check_not_queued' });
      await jest.advanceTimersByTimeAsync(5_000);
      await settled;
    } finally {
      jest.useRealTimers();
    }
    expect(audit.actions).toEqual(['tenant.created']);
  });

  it('refuses a check for an offboarded tenant or one that does not exist', async () => {
    const { service, checks, onboard } = setup();
    const tenant = await onboard({ scopes: [READ] });
    await service.offboard(ADMIN, tenant.id);
    await expect(service.requestDelegationCheck(ADMIN, tenant.id)).rejects.toMatchObject({
      code: 'tenants.offboarded',
    });
    await expect(service.requestDelegationCheck(ADMIN, UNKNOWN)).rejects.toMatchObject({
      code: 'tenants.not_found',
    });
    expect(checks.jobs).toHaveLength(1);
  });
});
