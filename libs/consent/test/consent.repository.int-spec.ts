import { randomUUID } from 'node:crypto';
import { EventsRepository } from '@gw/events';
import { inTransaction, uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { asTenantId, type TenantId } from '@gw/tenants';
import { ConsentRepository, type NewConsentRequest } from '../src/consent.repository';

// The single-statement writes of docs/architecture.md "Data" against real Postgres: row and event together,
// one event per transition whoever observes it, Idempotency-Key outcomes, and a feed that never skips a late
// commit.
describe('ConsentRepository and the outbox', () => {
  let database: TestDatabase;
  let consents: ConsentRepository;
  let events: EventsRepository;
  let tenantA: TenantId;
  let tenantB: TenantId;

  const newConsent = (tenantId: TenantId, id = uuidV7()): NewConsentRequest => ({
    id,
    tenantId,
    from: 'urn:altinn:person:identifier-no:03867199348',
    toOrg: '313876144',
    validTo: new Date(Date.now() + 86_400_000),
    consentRights: [
      { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }] },
    ],
    requestMessage: null,
    redirectUrl: 'https://bank.example/return',
    requiredDelegator: null,
    portalViewMode: null,
  });
  /** What a feed consumer sees once the relay has sequenced every committed event. */
  const sequencedFeed = async (tenantId: TenantId) => {
    while (
      (await inTransaction(database.dataSource, (manager) => events.sequence(manager, 1000)))?.length !== 0
    );
    return events.feed({ tenantId, orgNumber: '313876144' }, '0', 1000);
  };
  const eventTypes = async (tenantId: TenantId, consentId: string) =>
    (await sequencedFeed(tenantId))
      .filter((event) => event.consentRequestId === consentId)
      .map((event) => event.type);

  beforeAll(async () => {
    database = await createTestDatabase();
    consents = new ConsentRepository(database.dataSource);
    events = new EventsRepository(database.dataSource);
    tenantA = asTenantId(uuidV7());
    tenantB = asTenantId(uuidV7());
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A'), ($2, '974760673', 'B')`,
      [tenantA, tenantB],
    );
  });
  afterAll(() => database.drop());

  it('stores a pending request and its consent.pending event together', async () => {
    const outcome = await consents.insertPending(newConsent(tenantA));
    expect(outcome.kind).toBe('inserted');
    if (outcome.kind !== 'inserted') return;
    expect(outcome.consent.status).toBe('pending');
    expect(await eventTypes(tenantA, outcome.consent.id)).toEqual(['consent.pending']);
  });

  it('refuses a client id that already names a request, of any tenant', async () => {
    const id = uuidV7();
    await consents.insertPending(newConsent(tenantA, id));
    expect((await consents.insertPending(newConsent(tenantB, id))).kind).toBe('duplicate_id');
    expect(await consents.find(tenantB, id)).toBeUndefined();
  });

  it('answers an Idempotency-Key again with the first request, and another fingerprint as a mismatch', async () => {
    const key = randomUUID();
    const first = await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'f1' });
    const again = await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'f1' });
    const other = await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'f2' });
    expect(first.kind).toBe('inserted');
    expect(again).toMatchObject({
      kind: 'replay',
      consent: { id: first.kind === 'inserted' && first.consent.id },
    });
    expect(other.kind).toBe('key_mismatch');
    // The same key is another tenant's own.
    expect((await consents.insertPending(newConsent(tenantB), { key, fingerprint: 'f2' })).kind).toBe(
      'inserted',
    );
  });

  it('answers in-flight while the first request with the same Idempotency-Key is still in its transaction', async () => {
    const key = randomUUID();
    const runner = database.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // The first request holds the key's lock for the length of its transaction.
      await runner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `idempotency:${tenantA}:${key}`,
      ]);
      expect((await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'f' })).kind).toBe(
        'key_in_flight',
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'f' })).kind).toBe(
      'inserted',
    );
  });

  it('applies a transition observed by many paths at once exactly once, with one event', async () => {
    const outcome = await consents.insertPending(newConsent(tenantA));
    if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
    const id = outcome.consent.id;
    await consents.transition(tenantA, id, { from: ['pending'], to: 'created', event: 'consent.created' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        consents.transition(tenantA, id, { from: ['created'], to: 'accepted', event: 'consent.accepted' }),
      ),
    );
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect(await eventTypes(tenantA, id)).toEqual(['consent.pending', 'consent.created', 'consent.accepted']);
    expect((await consents.find(tenantA, id))?.version).toBe(3);
  });

  it("never changes another tenant's request", async () => {
    const outcome = await consents.insertPending(newConsent(tenantA));
    if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
    const changed = await consents.transition(tenantB, outcome.consent.id, {
      from: ['pending'],
      to: 'failed',
      event: 'consent.failed',
    });
    expect(changed).toBeUndefined();
    expect((await consents.find(tenantA, outcome.consent.id))?.status).toBe('pending');
  });

  it('removes a request that could not be queued with its event and key', async () => {
    const key = randomUUID();
    const outcome = await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'x' });
    if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
    await consents.deletePending(tenantA, outcome.consent.id);
    expect(await consents.find(tenantA, outcome.consent.id)).toBeUndefined();
    expect(await eventTypes(tenantA, outcome.consent.id)).toEqual([]);
    expect((await consents.insertPending(newConsent(tenantA), { key, fingerprint: 'y' })).kind).toBe(
      'inserted',
    );
  });
});
