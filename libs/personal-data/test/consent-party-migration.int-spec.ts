import { randomBytes } from 'node:crypto';
import { uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import {
  CONSENT_FROM_PARTY,
  migrateConsentParties,
  openConsentParty,
  PersonalDataCipher,
  PersonalDataError,
  sealConsentParty,
} from '@gw/personal-data';

const PERSONS = ['03867199348', '01025161013', '17912099997', '29029900157', '05073500186'];
const urn = (person: string) => `urn:altinn:person:identifier-no:${person}`;
const k1 = { keyId: 'k1', key: randomBytes(32) };
const k2 = { keyId: 'k2', key: randomBytes(32) };

interface StoredRow {
  id: string;
  tenant_id: string;
  from_party: string | null;
  from_party_ciphertext: Buffer | null;
  from_party_key_id: string | null;
  from_party_hmac: Buffer | null;
}

// The data step of `npm run migrate` against real Postgres: plain-text parties sealed, keys rotated.
describe('migrateConsentParties', () => {
  let database: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    tenantId = uuidV7();
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A')`,
      [tenantId],
    );
  });
  afterAll(() => database.drop());

  beforeEach(() => database.dataSource.query('DELETE FROM consent_requests'));

  /** Rows as the release before encryption at rest wrote them: `from_party` in plain text, nothing else. */
  async function insertPlaintextRows(persons: string[]): Promise<Map<string, string>> {
    const personById = new Map(persons.map((person) => [uuidV7(), person]));
    for (const [id, person] of personById) {
      await database.dataSource.query(
        `INSERT INTO consent_requests (id, tenant_id, from_party, to_org, valid_to, rights, redirect_url)
         VALUES ($1, $2, $3, '313876144', now() + interval '1 day', '[]', 'https://bank.example/return')`,
        [id, tenantId, urn(person)],
      );
    }
    return personById;
  }

  const rows = () =>
    database.dataSource.query<StoredRow[]>(
      `SELECT id, tenant_id, from_party, from_party_ciphertext, from_party_key_id, from_party_hmac
         FROM consent_requests ORDER BY id`,
    );

  /** Every column of every row as Postgres prints it (bytea as \x<hex>). */
  const tableText = async () =>
    (await database.dataSource.query<{ row: string }[]>('SELECT c::text AS row FROM consent_requests c'))
      .map((row) => row.row)
      .join('\n');

  /** Each row opens, under `keyId`, to the party it was written with, and its lookup value is that key's. */
  async function expectSealedUnder(
    cipher: PersonalDataCipher,
    keyId: string,
    personById: Map<string, string>,
  ) {
    const stored = await rows();
    expect(stored).toHaveLength(personById.size);
    for (const row of stored) {
      const party = urn(personById.get(row.id)!);
      expect(row).toMatchObject({ from_party: null, from_party_key_id: keyId });
      const sealed = { ciphertext: row.from_party_ciphertext!, keyId };
      expect(openConsentParty(cipher, { tenantId, consentId: row.id }, sealed)).toBe(party);
      expect(row.from_party_hmac).toEqual(cipher.lookupHash(CONSENT_FROM_PARTY, tenantId, party));
    }
  }

  it('seals every plain-text party, removes the plain text and leaves no person number in the table', async () => {
    const personById = await insertPlaintextRows(PERSONS);
    expect(await tableText()).toContain(PERSONS[0]);
    const cipher = PersonalDataCipher.create([k1], 'k1');

    expect(await migrateConsentParties(database.dataSource, cipher)).toEqual({
      encrypted: 5,
      reencrypted: 0,
    });

    const text = await tableText();
    for (const person of PERSONS) {
      expect(text).not.toContain(person);
      expect(text).not.toContain(Buffer.from(person).toString('hex'));
    }
    // Outside the bytea columns, where digit runs occur by chance in the hex, no 11 digits at all.
    expect(
      text
        .replace(/\\+x[0-9a-f]+/g, '')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>'),
    ).not.toMatch(/\d{11}/);
    await expectSealedUnder(cipher, 'k1', personById);
  });

  it('works in batches and changes nothing when run again', async () => {
    await insertPlaintextRows(PERSONS);
    const cipher = PersonalDataCipher.create([k1], 'k1');
    const batches: unknown[] = [];

    const first = await migrateConsentParties(database.dataSource, cipher, {
      batchSize: 2,
      onBatch: (progress) => batches.push(progress),
    });
    const before = await rows();
    const second = await migrateConsentParties(database.dataSource, cipher, { batchSize: 2 });

    expect(first).toEqual({ encrypted: 5, reencrypted: 0 });
    expect(batches).toEqual([
      { encrypted: 2, reencrypted: 0 },
      { encrypted: 4, reencrypted: 0 },
      { encrypted: 5, reencrypted: 0 },
    ]);
    expect(second).toEqual({ encrypted: 0, reencrypted: 0 });
    expect(await rows()).toEqual(before);
  });

  it('re-seals rows under an older key with the active one, after which the old key can go', async () => {
    const personById = await insertPlaintextRows(PERSONS);
    await migrateConsentParties(database.dataSource, PersonalDataCipher.create([k1], 'k1'));
    const rotated = PersonalDataCipher.create([k1, k2], 'k2');

    expect(await migrateConsentParties(database.dataSource, rotated, { batchSize: 3 })).toEqual({
      encrypted: 0,
      reencrypted: 5,
    });

    const onlyNew = PersonalDataCipher.create([k2], 'k2');
    await expectSealedUnder(onlyNew, 'k2', personById);
    expect(await migrateConsentParties(database.dataSource, onlyNew)).toEqual({
      encrypted: 0,
      reencrypted: 0,
    });
  });

  it('seals only what needs it when plain-text rows and rows under the active key are mixed', async () => {
    await insertPlaintextRows(PERSONS.slice(0, 2));
    const cipher = PersonalDataCipher.create([k1], 'k1');
    const id = uuidV7();
    const sealed = sealConsentParty(cipher, { tenantId, consentId: id }, urn(PERSONS[4]));
    await database.dataSource.query(
      `INSERT INTO consent_requests (id, tenant_id, from_party_ciphertext, from_party_key_id, from_party_hmac,
                                     to_org, valid_to, rights, redirect_url)
       VALUES ($1, $2, $3, $4, $5, '313876144', now() + interval '1 day', '[]', 'https://bank.example/return')`,
      [id, tenantId, sealed.ciphertext, sealed.keyId, sealed.hmac],
    );

    expect(await migrateConsentParties(database.dataSource, cipher)).toEqual({
      encrypted: 2,
      reencrypted: 0,
    });
    const untouched = (await rows()).find((row) => row.id === id)!;
    expect(untouched.from_party_ciphertext).toEqual(sealed.ciphertext);
  });

  it('stops, naming the key, at a row under a key the process does not have, and changes nothing', async () => {
    await insertPlaintextRows(PERSONS.slice(0, 2));
    await migrateConsentParties(database.dataSource, PersonalDataCipher.create([k1], 'k1'));
    const before = await rows();

    const error = await migrateConsentParties(
      database.dataSource,
      PersonalDataCipher.create([k2], 'k2'),
    ).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );

    expect(error).toBeInstanceOf(PersonalDataError);
    expect((error as PersonalDataError).code).toBe('personal_data.unknown_key');
    expect((error as PersonalDataError).message).toContain('"k1"');
    expect(await rows()).toEqual(before);
  });

  it('is refused by the table when a row would hold the party in neither form', async () => {
    const insert = database.dataSource.query(
      `INSERT INTO consent_requests (id, tenant_id, to_org, valid_to, rights, redirect_url)
       VALUES ($1, $2, '313876144', now() + interval '1 day', '[]', 'https://bank.example/return')`,
      [uuidV7(), tenantId],
    );
    await expect(insert).rejects.toMatchObject({ driverError: { code: '23514' } });
  });
});
