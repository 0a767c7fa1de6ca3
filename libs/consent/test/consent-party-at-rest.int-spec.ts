import { randomBytes } from 'node:crypto';
import { uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { CONSENT_FROM_PARTY, PersonalDataCipher, PersonalDataError } from '@gw/personal-data';
import { asTenantId, type TenantId } from '@gw/tenants';
import { ConsentRepository, type NewConsentRequest } from '../src/consent.repository';

const PERSON = '03867199348';
const FROM = `urn:altinn:person:identifier-no:${PERSON}`;

// A consent's `from` at rest: sealed on insert, opened on every read, never in plain text in the table.
describe('ConsentRepository and the consent party at rest', () => {
  let database: TestDatabase;
  let consents: ConsentRepository;
  let cipher: PersonalDataCipher;
  let tenant: TenantId;

  const newConsent = (id = uuidV7(), from = FROM): NewConsentRequest => ({
    id,
    tenantId: tenant,
    from,
    toOrg: '313876144',
    validTo: new Date(Date.now() + 86_400_000),
    consentRights: [
      { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }] },
    ],
    requestMessage: { nb: 'Vi ber om samtykke' },
    redirectUrl: 'https://bank.example/return',
    requiredDelegator: null,
    portalViewMode: null,
  });

  const rowText = async (id: string) =>
    (
      await database.dataSource.query<{ row: string }[]>(
        'SELECT c::text AS row FROM consent_requests c WHERE id = $1',
        [id],
      )
    )[0].row;

  beforeAll(async () => {
    database = await createTestDatabase();
    cipher = PersonalDataCipher.create([{ keyId: 'k1', key: randomBytes(32) }], 'k1');
    consents = new ConsentRepository(database.dataSource, cipher);
    tenant = asTenantId(uuidV7());
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A')`,
      [tenant],
    );
  });
  afterAll(() => database.drop());

  it('stores no plain-text person number anywhere in the row and reads back the same from', async () => {
    const outcome = await consents.insertPending(newConsent());
    if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
    expect(outcome.consent.from).toBe(FROM);

    const text = await rowText(outcome.consent.id);
    expect(text).not.toContain(PERSON);
    expect(text).not.toContain(Buffer.from(PERSON).toString('hex'));
    // bytea prints as \x<hex>, where digit runs occur by chance; outside it, no 11 digits at all.
    expect(
      text
        .replace(/\\+x[0-9a-f]+/g, '')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>'),
    ).not.toMatch(/\d{11}/);

    const [stored] = await database.dataSource.query<
      { from_party: string | null; from_party_key_id: string; from_party_hmac: Buffer }[]
    >('SELECT from_party, from_party_key_id, from_party_hmac FROM consent_requests WHERE id = $1', [
      outcome.consent.id,
    ]);
    expect(stored.from_party).toBeNull();
    expect(stored.from_party_key_id).toBe('k1');
    expect(stored.from_party_hmac).toEqual(cipher.lookupHash(CONSENT_FROM_PARTY, tenant, FROM));

    expect((await consents.find(tenant, outcome.consent.id))?.from).toBe(FROM);
    expect((await consents.findWithTenantOrg(tenant, outcome.consent.id))?.consent.from).toBe(FROM);
    expect((await consents.list(tenant, { limit: 100 })).map((consent) => consent.from)).toContain(FROM);
    const changed = await consents.transition(tenant, outcome.consent.id, {
      from: ['pending'],
      to: 'created',
      event: 'consent.created',
    });
    expect(changed?.from).toBe(FROM);
  });

  it('reads a row written before encryption at rest, still in plain text', async () => {
    const id = uuidV7();
    await database.dataSource.query(
      `INSERT INTO consent_requests (id, tenant_id, from_party, to_org, valid_to, rights, redirect_url)
       VALUES ($1, $2, $3, '313876144', now() + interval '1 day', '[]', 'https://bank.example/return')`,
      [id, tenant, FROM],
    );
    expect((await consents.find(tenant, id))?.from).toBe(FROM);
  });

  it('refuses to read a sealed party copied from another row', async () => {
    const victim = await consents.insertPending(newConsent());
    const other = await consents.insertPending(
      newConsent(uuidV7(), 'urn:altinn:person:identifier-no:01025161013'),
    );
    if (victim.kind !== 'inserted' || other.kind !== 'inserted') throw new Error('not inserted');
    await database.dataSource.query(
      `UPDATE consent_requests SET from_party_ciphertext = (SELECT from_party_ciphertext FROM consent_requests
                                                            WHERE id = $1)
        WHERE id = $2`,
      [victim.consent.id, other.consent.id],
    );

    const error = await consents.find(tenant, other.consent.id).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(PersonalDataError);
    expect((error as PersonalDataError).code).toBe('personal_data.undecryptable');
  });

  it('answers an Idempotency-Key replay with the same from', async () => {
    const key = `key-${uuidV7()}`;
    const first = await consents.insertPending(newConsent(), { key, fingerprint: 'f' });
    const again = await consents.insertPending(newConsent(), { key, fingerprint: 'f' });
    expect(first).toMatchObject({ kind: 'inserted', consent: { from: FROM } });
    expect(again).toMatchObject({ kind: 'replay', consent: { from: FROM } });
  });
});
