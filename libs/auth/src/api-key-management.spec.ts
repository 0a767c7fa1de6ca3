import { Logger } from '@nestjs/common';
import { FakeAuditService } from '@gw/audit/testing';
import { FakeDataSource } from '@gw/persistence/testing';
import { QueueName } from '@gw/queue';
import { FakeQueue } from '@gw/queue/testing';
import { asTenantId, TenantOffboardingHooks, TenantStatusListeners, TenantsService } from '@gw/tenants';
import { FakeTenantRepository, TENANT_A, TENANT_B } from '@gw/tenants/testing';
import { FakeApiKeyCredentials, FakeApiKeyRepository } from '../testing';
import { ApiKeysService } from './api-keys.service';
import { type AuthOptions } from './auth.options';
import { hashApiKey, parseApiKey } from './domain/api-key';
import { LastUsedRecorder } from './last-used-recorder';

// ApiKeysService issuing, listing and revoking keys, and what it registers with the tenant registry
// (revocation on offboarding, cache invalidation on status changes), over in-memory fakes. Authentication
// through the credential cache has its own spec (api-keys.service.spec.ts).

const OPTIONS: AuthOptions = { adminApiKeys: [], keyEnvironment: 'test' };
const ADMIN = { actor: 'admin:7f3a', requestId: 'req-9' };
const TENANT = TENANT_A.tenantId;
const OTHER = TENANT_B.tenantId;
const UNKNOWN = asTenantId('0192f3a4-5b6c-7d8e-9f01-c12345678901');

function setup() {
  const db = new FakeDataSource();
  const tenantRows = new FakeTenantRepository(db);
  tenantRows.seed({ id: TENANT, orgNumber: TENANT_A.orgNumber });
  tenantRows.seed({ id: OTHER, orgNumber: TENANT_B.orgNumber });
  const audit = new FakeAuditService(db);
  const offboarding = new TenantOffboardingHooks();
  const statusListeners = new TenantStatusListeners();
  const tenants = new TenantsService(
    db.asDataSource(),
    tenantRows.asTenantRepository(),
    audit.asAuditService(),
    offboarding,
    statusListeners,
    new FakeQueue<{ tenantId: string }>(QueueName.DelegationCheck).asQueue(),
  );
  const keys = new FakeApiKeyRepository(db, tenantRows);
  const credentials = new FakeApiKeyCredentials(keys);
  const service = new ApiKeysService(
    db.asDataSource(),
    keys.asApiKeyRepository(),
    tenants,
    audit.asAuditService(),
    offboarding,
    statusListeners,
    credentials.asApiKeyCredentials(),
    new LastUsedRecorder(keys.asApiKeyRepository()),
    OPTIONS,
  );
  service.onModuleInit();
  /** What the tenant guard would answer for a presented key: 200 or the refusal's code. */
  const answer = async (key: string) => {
    try {
      await service.authenticate(key);
      return 200;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  };
  return { db, tenantRows, audit, tenants, keys, service, answer };
}

beforeAll(() => Logger.overrideLogger(false));

describe('ApiKeysService.issue', () => {
  it('shows the whole key once: it authenticates as the tenant, and only its hash is stored', async () => {
    const { service, keys } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });

    expect(parseApiKey(issued.key)).toEqual({ environment: 'test', prefix: issued.prefix });
    expect(await service.authenticate(issued.key)).toEqual({
      tenantId: TENANT,
      orgNumber: TENANT_A.orgNumber,
      keyId: issued.id,
      keyPrefix: issued.prefix,
    });
    const [stored] = keys.stored;
    expect(stored.hash.equals(hashApiKey(issued.key))).toBe(true);
    expect(JSON.stringify(await service.list(TENANT))).not.toContain(issued.key);
    expect(Object.values(stored)).not.toContain(issued.key);
  });

  it('names the caller as the key creator and audits the prefix and name, never the key', async () => {
    const { service, audit } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    expect(issued.createdBy).toBe(ADMIN.actor);
    expect(audit.records).toEqual([
      {
        actor: ADMIN.actor,
        requestId: ADMIN.requestId,
        tenantId: TENANT,
        action: 'api_key.issued',
        target: `api_key:${issued.id}`,
        details: { prefix: issued.prefix, name: 'core banking' },
      },
    ]);
    expect(JSON.stringify(audit.records)).not.toContain(issued.key);
  });

  it('draws a new key when the prefix clashes, up to three draws', async () => {
    const { service, keys, audit } = setup();
    keys.prefixClashes = 2;
    const issued = await service.issue(ADMIN, TENANT, { name: 'third draw' });
    expect(keys.stored.map((key) => key.id)).toEqual([issued.id]);
    expect(audit.actions).toEqual(['api_key.issued']);
  });

  it('gives up after three clashing draws, storing nothing', async () => {
    const { service, keys, audit } = setup();
    keys.prefixClashes = 3;
    await expect(service.issue(ADMIN, TENANT, { name: 'unlucky' })).rejects.toMatchObject({
      driverError: { code: '23505' },
    });
    expect([keys.stored, audit.records]).toEqual([[], []]);
  });

  it('refuses a key for an offboarded tenant with auth.tenant_not_active', async () => {
    const { service, tenants, keys } = setup();
    await tenants.offboard(ADMIN, TENANT);
    await expect(service.issue(ADMIN, TENANT, { name: 'late' })).rejects.toMatchObject({
      code: 'auth.tenant_not_active',
    });
    expect(keys.stored).toEqual([]);
  });

  it('answers tenants.not_found for a tenant that does not exist', async () => {
    const { service, keys } = setup();
    await expect(service.issue(ADMIN, UNKNOWN, { name: 'ghost' })).rejects.toMatchObject({
      code: 'tenants.not_found',
    });
    expect(keys.stored).toEqual([]);
  });

  it('stores no key when its audit record cannot be written', async () => {
    const { service, keys, audit } = setup();
    audit.failNext = new Error('connection terminated');
    await expect(service.issue(ADMIN, TENANT, { name: 'core banking' })).rejects.toThrow(
      'connection terminated',
    );
    expect(keys.stored).toEqual([]);
  });
});

describe('ApiKeysService.list', () => {
  it("lists only the tenant's own keys", async () => {
    const { service } = setup();
    const mine = await service.issue(ADMIN, TENANT, { name: 'mine' });
    await service.issue(ADMIN, OTHER, { name: 'theirs' });
    expect((await service.list(TENANT)).map((key) => key.id)).toEqual([mine.id]);
  });

  it('shows the last use of a key authenticated just before the listing', async () => {
    const { service } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    expect((await service.list(TENANT))[0].lastUsedAt).toBeNull();
    await service.authenticate(issued.key);
    expect((await service.list(TENANT))[0].lastUsedAt).not.toBeNull();
  });

  it('answers tenants.not_found for a tenant that does not exist', async () => {
    const { service } = setup();
    await expect(service.list(UNKNOWN)).rejects.toMatchObject({ code: 'tenants.not_found' });
  });
});

describe('ApiKeysService.revoke', () => {
  it('refuses the revoked key at once, although its credential was cached', async () => {
    const { service, answer } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    expect(await answer(issued.key)).toBe(200);

    const revoked = await service.revoke(ADMIN, TENANT, issued.id);

    expect(revoked.revokedAt).not.toBeNull();
    expect(await answer(issued.key)).toBe('auth.invalid_credentials');
  });

  it('records the first revocation only; revoking again changes nothing', async () => {
    const { service, audit } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    const first = await service.revoke(ADMIN, TENANT, issued.id);
    const again = await service.revoke({ actor: 'admin:other' }, TENANT, issued.id);

    expect(again.revokedAt).toBe(first.revokedAt);
    expect(audit.records.filter((record) => record.action === 'api_key.revoked')).toEqual([
      {
        actor: ADMIN.actor,
        requestId: ADMIN.requestId,
        tenantId: TENANT,
        action: 'api_key.revoked',
        target: `api_key:${issued.id}`,
        details: { prefix: issued.prefix },
      },
    ]);
  });

  it("treats another tenant's key as unknown and leaves it working", async () => {
    const { service, answer, audit } = setup();
    const theirs = await service.issue(ADMIN, OTHER, { name: 'theirs' });
    await expect(service.revoke(ADMIN, TENANT, theirs.id)).rejects.toMatchObject({
      code: 'auth.api_key_not_found',
    });
    expect(await answer(theirs.key)).toBe(200);
    expect(audit.actions).toEqual(['api_key.issued']);
  });

  it('keeps the key when the revocation cannot be audited', async () => {
    const { service, answer, audit } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    audit.failNext = new Error('connection terminated');
    await expect(service.revoke(ADMIN, TENANT, issued.id)).rejects.toThrow('connection terminated');
    expect((await service.list(TENANT))[0].revokedAt).toBeNull();
    expect(await answer(issued.key)).toBe(200);
  });
});

describe('ApiKeysService with the tenant registry', () => {
  it("revokes every key of an offboarded tenant in the offboarding, auditing each, and no other tenant's", async () => {
    const { service, tenants, audit, answer } = setup();
    const a = await service.issue(ADMIN, TENANT, { name: 'a' });
    const b = await service.issue(ADMIN, TENANT, { name: 'b' });
    const theirs = await service.issue(ADMIN, OTHER, { name: 'theirs' });
    await service.revoke(ADMIN, TENANT, b.id);

    await tenants.offboard(ADMIN, TENANT);

    expect(await answer(a.key)).toBe('auth.invalid_credentials');
    expect(await answer(theirs.key)).toBe(200);
    expect((await service.list(TENANT)).every((key) => key.revokedAt !== null)).toBe(true);
    expect(
      audit.records
        .filter((record) => record.details.reason === 'offboarded')
        .map((record) => [record.actor, record.action, record.target]),
    ).toEqual([[ADMIN.actor, 'api_key.revoked', `api_key:${a.id}`]]);
  });

  it('keeps the keys when the offboarding fails after its hooks ran', async () => {
    const { service, tenants, audit, answer } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    // The offboarding's own record is the last write of its transaction: make it fail.
    const record = audit.record.bind(audit);
    audit.record = (caller, entry, manager) => {
      if (entry.action === 'tenant.offboarded') audit.failNext = new Error('connection terminated');
      return record(caller, entry, manager);
    };

    await expect(tenants.offboard(ADMIN, TENANT)).rejects.toThrow('connection terminated');

    expect((await service.list(TENANT))[0].revokedAt).toBeNull();
    expect(await answer(issued.key)).toBe(200);
    expect(audit.actions).toEqual(['api_key.issued']);
  });

  it("refuses a suspended tenant's cached keys at once and accepts them again once resumed", async () => {
    const { service, tenants, answer } = setup();
    const issued = await service.issue(ADMIN, TENANT, { name: 'core banking' });
    expect(await answer(issued.key)).toBe(200);

    await tenants.update(ADMIN, TENANT, { status: 'suspended' });
    expect(await answer(issued.key)).toBe('auth.tenant_suspended');

    await tenants.update(ADMIN, TENANT, { status: 'active' });
    expect(await answer(issued.key)).toBe(200);
  });
});
