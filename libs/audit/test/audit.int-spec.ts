import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { TENANTS_ENTITIES } from '@gw/tenants';
import { AUDIT_ENTITIES, type AuditFilter, type AuditRecord, AuditService } from '../src';

describe('AuditService against Postgres', () => {
  let database: TestDatabase;
  let audit: AuditService;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  // (actor, tenant, action, target, occurredAt): ids follow the order of this table.
  const rows: [string, string | null, string, string, string][] = [
    ['admin:aaaa', tenantA, 'tenant.created', `tenant:${tenantA}`, '2025-01-01T00:00:00Z'],
    ['admin:aaaa', tenantB, 'tenant.created', `tenant:${tenantB}`, '2025-01-02T00:00:00Z'],
    ['sgw_test_a1', tenantA, 'webhook_endpoint.created', 'webhook_endpoint:e1', '2025-01-03T00:00:00Z'],
    ['sgw_test_a1', tenantA, 'webhook_endpoint.updated', 'webhook_endpoint:e1', '2025-01-04T00:00:00Z'],
    ['sgw_test_b1', tenantB, 'webhook_endpoint.created', 'webhook_endpoint:e2', '2025-01-05T00:00:00Z'],
    ['sgw_test_a1', tenantA, 'webhook_delivery.retried', 'webhook_delivery:d1', '2025-01-06T00:00:00Z'],
    ['sgw_test_a1', tenantA, 'webhookxendpoint.created', 'webhook_endpoint:e9', '2025-01-07T00:00:00Z'],
    ['sgw_test_a1', tenantA, 'webhook_endpoint.deleted', 'webhook_endpoint:e1', '2025-01-08T00:00:00Z'],
    ['worker', null, 'signing_key.rotated', 'signing_key:k1', '2025-01-09T00:00:00Z'],
  ];

  beforeAll(async () => {
    database = await createTestDatabase({ entities: [...TENANTS_ENTITIES, ...AUDIT_ENTITIES] });
    audit = new AuditService(database.dataSource);
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A'), ($2, '974760673', 'B')`,
      [tenantA, tenantB],
    );
    for (const [actor, tenantId, action, target, occurredAt] of rows) {
      await database.dataSource.query(
        `INSERT INTO audit_log (actor, tenant_id, action, target, occurred_at) VALUES ($1, $2, $3, $4, $5)`,
        [actor, tenantId, action, target, occurredAt],
      );
    }
  });
  afterAll(() => database?.drop());

  /** The rows of the table above a filter should select, newest first. */
  function expected(keep: (row: (typeof rows)[number]) => boolean): string[] {
    return rows
      .filter(keep)
      .map(([, , action, target]) => `${action} ${target}`)
      .reverse();
  }

  /** Every page of a listing, two records a page. */
  async function allPages(filter: AuditFilter): Promise<string[]> {
    const seen: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.list({ ...filter, cursor, limit: 2 });
      seen.push(...page.data);
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    return seen.map((record) => `${record.action} ${record.target}`);
  }

  it.each<[string, AuditFilter, (row: (typeof rows)[number]) => boolean]>([
    ['no filter', {}, () => true],
    ['a tenant', { tenantId: tenantA }, ([, tenant]) => tenant === tenantA],
    ['an actor', { actor: 'sgw_test_a1' }, ([actor]) => actor === 'sgw_test_a1'],
    ['an exact action', { action: 'tenant.created' }, ([, , action]) => action === 'tenant.created'],
    [
      'an action prefix (its _ is not a wildcard)',
      { action: 'webhook_endpoint.' },
      ([, , action]) => action.startsWith('webhook_endpoint.'),
    ],
    ['a target', { target: 'webhook_endpoint:e1' }, ([, , , target]) => target === 'webhook_endpoint:e1'],
    [
      'a time range (from inclusive, to exclusive)',
      { from: new Date('2025-01-03T00:00:00Z'), to: new Date('2025-01-08T00:00:00Z') },
      ([, , , , at]) => at >= '2025-01-03' && at < '2025-01-08',
    ],
    [
      'several filters at once',
      { tenantId: tenantA, action: 'webhook_endpoint.', from: new Date('2025-01-04T00:00:00Z') },
      ([, tenant, action, , at]) =>
        tenant === tenantA && action.startsWith('webhook_endpoint.') && at >= '2025-01-04',
    ],
  ])('pages through %s, newest first, each record once', async (_name, filter, keep) => {
    expect(await allPages(filter)).toEqual(expected(keep));
  });

  it('exports what the same filter lists, oldest first, across batches', async () => {
    const filter: AuditFilter = { tenantId: tenantA };
    const batches: AuditRecord[][] = [];
    for await (const batch of await audit.exportBatches(filter, 2)) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 2]);
    const exported = batches.flat().map((record) => `${record.action} ${record.target}`);
    expect(exported).toEqual(expected(([, tenant]) => tenant === tenantA).reverse());
  });

  it('exports nothing when nothing matches', async () => {
    const batches: AuditRecord[][] = [];
    for await (const batch of await audit.exportBatches({ actor: 'nobody' })) batches.push(batch);
    expect(batches).toEqual([]);
  });

  it('ends an export at the newest record when it started', async () => {
    const filter: AuditFilter = { actor: 'late-writer' };
    await audit.record({ actor: 'late-writer' }, { action: 'test.before' });
    const batches = await audit.exportBatches(filter, 1);
    await audit.record({ actor: 'late-writer' }, { action: 'test.after' });
    const exported: string[] = [];
    for await (const batch of batches) exported.push(...batch.map((record) => record.action));
    expect(exported).toEqual(['test.before']);
  });

  it('records an action a target undergoes once only the first time', async () => {
    const target = `api_key:${randomUUID()}`;
    const entry = { tenantId: tenantA, action: 'api_key.revoked' as const, target, details: { prefix: 'p' } };
    expect(await audit.recordOnce({ actor: 'admin:aaaa', requestId: 'r1' }, entry)).toBe(true);
    expect(await audit.recordOnce({ actor: 'admin:bbbb', requestId: 'r2' }, entry)).toBe(false);
    const page = await audit.list({ target });
    expect(page.data).toEqual([
      expect.objectContaining({ actor: 'admin:aaaa', requestId: 'r1', action: 'api_key.revoked' }),
    ]);
  });
});
