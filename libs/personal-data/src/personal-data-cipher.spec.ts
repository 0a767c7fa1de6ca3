import { randomBytes } from 'node:crypto';
import { PersonalDataCipher, type DataKey } from './personal-data-cipher';
import { PersonalDataError } from './personal-data.errors';
import { type RowBinding } from './domain/row-binding';

const PERSON = 'urn:altinn:person:identifier-no:03867199348';
const k1: DataKey = { keyId: 'k1', key: randomBytes(32) };
const k2: DataKey = { keyId: 'k2', key: randomBytes(32) };
const row: RowBinding = {
  column: 'consent_requests.from_party',
  tenantId: '0195f0e4-aaaa-7000-8000-000000000001',
  rowId: '0195f0e4-bbbb-7000-8000-000000000002',
};

function refusal(open: () => unknown): PersonalDataError {
  try {
    open();
  } catch (error) {
    if (error instanceof PersonalDataError) return error;
    throw error;
  }
  throw new Error('expected a PersonalDataError');
}

describe('PersonalDataCipher', () => {
  const cipher = PersonalDataCipher.create([k1], 'k1');

  it('opens what it sealed, and the ciphertext holds no trace of the plaintext', () => {
    const sealed = cipher.seal(row, PERSON);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('03867199348');
    expect(sealed.ciphertext.toString('hex')).not.toContain(Buffer.from('03867199348').toString('hex'));
    expect(cipher.open(row, sealed)).toBe(PERSON);
  });

  it('seals the same value differently each time (random IV)', () => {
    expect(cipher.seal(row, PERSON).ciphertext.equals(cipher.seal(row, PERSON).ciphertext)).toBe(false);
  });

  it.each<[string, Partial<RowBinding>]>([
    ['another row', { rowId: '0195f0e4-bbbb-7000-8000-000000000003' }],
    ['another tenant', { tenantId: '0195f0e4-aaaa-7000-8000-000000000009' }],
    ['another column', { column: 'consent_requests.required_delegator' }],
  ])('refuses a ciphertext copied to %s', (_case, change) => {
    const sealed = cipher.seal(row, PERSON);
    const error = refusal(() => cipher.open({ ...row, ...change }, sealed));
    expect(error.code).toBe('personal_data.undecryptable');
  });

  it.each([
    ['a flipped ciphertext byte', (c: Buffer) => c.fill(c[14] ^ 1, 14, 15)],
    ['a flipped tag byte', (c: Buffer) => c.fill(c[c.length - 1] ^ 1, c.length - 1)],
    ['an unknown format byte', (c: Buffer) => c.fill(0x02, 0, 1)],
  ])('refuses %s', (_case, tamper) => {
    const sealed = cipher.seal(row, PERSON);
    tamper(sealed.ciphertext);
    expect(refusal(() => cipher.open(row, sealed)).code).toBe('personal_data.undecryptable');
  });

  it('refuses a truncated ciphertext', () => {
    const sealed = cipher.seal(row, PERSON);
    const error = refusal(() =>
      cipher.open(row, { ...sealed, ciphertext: sealed.ciphertext.subarray(0, 20) }),
    );
    expect(error.code).toBe('personal_data.undecryptable');
  });

  it('refuses a ciphertext relabelled with another key id', () => {
    const both = PersonalDataCipher.create([k1, k2], 'k1');
    const sealed = both.seal(row, PERSON);
    expect(refusal(() => both.open(row, { ...sealed, keyId: 'k2' })).code).toBe(
      'personal_data.undecryptable',
    );
  });

  it('names the unknown key and the keys it has when a row is under a key it lacks', () => {
    const sealed = PersonalDataCipher.create([k2], 'k2').seal(row, PERSON);
    const error = refusal(() => cipher.open(row, sealed));
    expect(error.code).toBe('personal_data.unknown_key');
    expect(error.message).toContain('"k2"');
    expect(error.message).toContain('k1');
  });

  describe('rotation', () => {
    const before = PersonalDataCipher.create([k1], 'k1');
    const after = PersonalDataCipher.create([k1, k2], 'k2');

    it('seals under the active key and still opens what an older key sealed', () => {
      const old = before.seal(row, PERSON);
      const fresh = after.seal(row, PERSON);
      expect(fresh.keyId).toBe('k2');
      expect(after.open(row, old)).toBe(PERSON);
      expect(after.open(row, fresh)).toBe(PERSON);
    });

    it('cannot open values of a key that was retired', () => {
      const retired = PersonalDataCipher.create([k2], 'k2');
      expect(refusal(() => retired.open(row, before.seal(row, PERSON))).code).toBe(
        'personal_data.unknown_key',
      );
    });

    it('gives a lookup value per key, each equal to what that key computed when it was active', () => {
      const hashes = after.lookupHashes(row.column, row.tenantId, PERSON);
      expect(hashes.map((hash) => hash.keyId)).toEqual(['k1', 'k2']);
      expect(hashes[0].hmac).toEqual(before.lookupHash(row.column, row.tenantId, PERSON));
      expect(hashes[1].hmac).toEqual(after.lookupHash(row.column, row.tenantId, PERSON));
      expect(hashes[0].hmac).not.toEqual(hashes[1].hmac);
    });
  });

  describe('lookup values', () => {
    it('are HMAC-SHA256 values, equal for one person in one tenant and different across tenants', () => {
      const hash = cipher.lookupHash(row.column, row.tenantId, PERSON);
      expect(hash).toHaveLength(32);
      expect(cipher.lookupHash(row.column, row.tenantId, PERSON.toUpperCase())).toEqual(hash);
      expect(cipher.lookupHash(row.column, 'another-tenant', PERSON)).not.toEqual(hash);
    });

    it('depend on the key, so no one without it can compute them from a list of person numbers', () => {
      const other = PersonalDataCipher.create([{ keyId: 'k1', key: randomBytes(32) }], 'k1');
      expect(other.lookupHash(row.column, row.tenantId, PERSON)).not.toEqual(
        cipher.lookupHash(row.column, row.tenantId, PERSON),
      );
    });
  });

  it.each<[string, DataKey[], string, RegExp]>([
    ['a key of 16 bytes', [{ keyId: 'k1', key: randomBytes(16) }], 'k1', /16 bytes, not 32/],
    ['a key id twice', [k1, { ...k2, keyId: 'k1' }], 'k1', /configured twice/],
    ['an active key id it does not have', [k1], 'k9', /"k9" is not among the configured keys \(k1\)/],
    ['a key id with a colon', [{ ...k1, keyId: 'k:1' }], 'k:1', /is not/],
    ['no key at all', [], 'k1', /\(none\)/],
  ])('refuses %s', (_case, keys, active, message) => {
    const error = refusal(() => PersonalDataCipher.create(keys, active));
    expect(error.code).toBe('personal_data.invalid_keys');
    expect(error.message).toMatch(message);
  });
});
