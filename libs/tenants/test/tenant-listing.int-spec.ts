import { inTransaction } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { type DelegationState, newTenantId, type TenantId, TENANTS_ENTITIES } from '../src';
import { type TenantFilter, TenantRepository } from '../src/tenant.repository';

// Finding tenants against real Postgres: each filter alone and combined, the delegation state as the
// scopes' stored check results add up, and keyset pages that keep the filters.
describe('TenantRepository.list', () => {
  let database: TestDatabase;
  let tenants: TenantRepository;
  const ids = new Map<string, TenantId>();

  const scopeError = { code: 'MP-251', message: 'not delegated', checkedAt: '2026-12-01T10:00:00.000Z' };
  /** (org number, name, status, scopes as [scope, check result]); inserted in this order. */
  const rows: [string, string, 'active' | 'suspended', [string, 'verified' | 'failed' | 'unchecked'][]][] = [
    ['313876144', 'Sparebank Super', 'active', [['altinn:consentrequests.write', 'verified']]],
    [
      '974760673',
      'Sparebank Annen',
      'active',
      [
        ['altinn:consentrequests.write', 'verified'],
        ['altinn:consentrequests.read', 'failed'],
      ],
    ],
    [
      '910825518',
      'Nordbank 50%_rabatt',
      'suspended',
      [
        ['altinn:consentrequests.write', 'verified'],
        ['altinn:consentrequests.read', 'unchecked'],
      ],
    ],
    ['923609016', 'Fjordbank', 'active', []],
    ['987654325', 'SPAREBANK Tredje', 'active', [['altinn:consentrequests.write', 'verified']]],
  ];

  beforeAll(async () => {
    database = await createTestDatabase({ entities: TENANTS_ENTITIES });
    tenants = new TenantRepository(database.dataSource);
    for (const [orgNumber, name, status, scopes] of rows) {
      const id = newTenantId();
      ids.set(orgNumber, id);
      await inTransaction(database.dataSource, async (manager) => {
        await tenants.insert(manager, { id, orgNumber, name, scopes: scopes.map(([scope]) => scope) });
        await tenants.update(manager, id, { status });
      });
      for (const [scope, result] of scopes) {
        if (result === 'verified') await tenants.recordScopeCheck(id, scope, { verified: true });
        if (result === 'failed') {
          await tenants.recordScopeCheck(id, scope, { verified: false, error: scopeError, retryable: false });
        }
      }
    }
  });
  afterAll(() => database?.drop());

  const orgsOf = async (filter: Omit<TenantFilter, 'limit'>) =>
    (await tenants.list({ ...filter, limit: 50 })).map((tenant) => tenant.orgNumber);

  it('finds one tenant by its org number', async () => {
    expect(await orgsOf({ orgNumber: '974760673' })).toEqual(['974760673']);
    expect(await orgsOf({ orgNumber: '889640782' })).toEqual([]);
  });

  it('finds tenants by part of the name in any case', async () => {
    expect(await orgsOf({ nameContains: 'sparebank' })).toEqual(['313876144', '974760673', '987654325']);
    expect(await orgsOf({ nameContains: 'BANK t' })).toEqual(['987654325']);
  });

  it('matches % and _ in the name literally', async () => {
    expect(await orgsOf({ nameContains: '50%_' })).toEqual(['910825518']);
    expect(await orgsOf({ nameContains: 'r_b' })).toEqual([]);
    expect(await orgsOf({ nameContains: '%' })).toEqual(['910825518']);
  });

  it.each<[DelegationState, string[]]>([
    ['verified', ['313876144', '987654325']],
    ['failing', ['974760673']],
    ['pending', ['910825518']],
    ['none', ['923609016']],
  ])('finds the tenants whose delegation is %s', async (delegation, expected) => {
    expect(await orgsOf({ delegation })).toEqual(expected);
    const listed = await tenants.list({ limit: 50 });
    expect(listed.filter((tenant) => tenant.delegation === delegation).map((t) => t.orgNumber)).toEqual(
      expected,
    );
  });

  it('combines the filters', async () => {
    expect(await orgsOf({ nameContains: 'sparebank', delegation: 'verified' })).toEqual([
      '313876144',
      '987654325',
    ]);
    expect(await orgsOf({ status: 'suspended', delegation: 'verified' })).toEqual([]);
    expect(await orgsOf({ status: 'suspended', nameContains: 'nord' })).toEqual(['910825518']);
  });

  it('moves a tenant between delegation states as its checks are recorded', async () => {
    const id = ids.get('974760673')!;
    await tenants.recordScopeCheck(id, 'altinn:consentrequests.read', { verified: true });
    expect(await orgsOf({ delegation: 'failing' })).toEqual([]);
    expect(await orgsOf({ delegation: 'verified' })).toEqual(['313876144', '974760673', '987654325']);
    await tenants.recordScopeCheck(id, 'altinn:consentrequests.read', {
      verified: false,
      error: scopeError,
      retryable: false,
    });
    expect((await tenants.find(id))?.delegation).toBe('failing');
  });

  it('pages a filtered listing by id, each page after the last id of the one before', async () => {
    const first = await tenants.list({ delegation: 'verified', limit: 1 });
    // limit + 1 rows: the second says a next page exists.
    expect(first.map((tenant) => tenant.orgNumber)).toEqual(['313876144', '987654325']);
    const second = await tenants.list({ delegation: 'verified', after: first[0].id, limit: 1 });
    expect(second.map((tenant) => tenant.orgNumber)).toEqual(['987654325']);
    expect(await tenants.list({ delegation: 'verified', after: second[0].id, limit: 1 })).toEqual([]);
  });
});
