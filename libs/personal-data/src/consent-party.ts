import { type DataSource } from 'typeorm';
import { type PersonalDataCipher, type SealedValue } from './personal-data-cipher';

/** The consent request's `from`: a person's fødselsnummer (or an org number) as a party URN. */
export const CONSENT_FROM_PARTY = 'consent_requests.from_party';

/** The three columns that hold a consent's `from` at rest. */
export interface SealedParty extends SealedValue {
  /** Keyed lookup value (tenant-scoped), for "the consents of this person" without decrypting every row. */
  hmac: Buffer;
}

export interface ConsentRowRef {
  tenantId: string;
  consentId: string;
}

export function sealConsentParty(cipher: PersonalDataCipher, row: ConsentRowRef, party: string): SealedParty {
  const sealed = cipher.seal(binding(row), party);
  return { ...sealed, hmac: cipher.lookupHash(CONSENT_FROM_PARTY, row.tenantId, party, sealed.keyId) };
}

export function openConsentParty(
  cipher: PersonalDataCipher,
  row: ConsentRowRef,
  sealed: SealedValue,
): string {
  return cipher.open(binding(row), sealed);
}

export interface PartyMigrationOptions {
  /** Rows per read and per UPDATE statement; default 500. */
  batchSize?: number;
  /** Called after each batch with the totals so far. */
  onBatch?: (progress: PartyMigrationResult) => void;
}

export interface PartyMigrationResult {
  /** Plaintext rows (written before encryption at rest) now sealed; their plaintext is gone. */
  encrypted: number;
  /** Rows moved from an older key to the active one. */
  reencrypted: number;
}

interface PartyRow {
  id: string;
  tenant_id: string;
  from_party: string | null;
  from_party_ciphertext: Buffer | null;
  from_party_key_id: string | null;
}

/**
 * The data step after the schema migrations: every row still holding `from` in plain text is sealed and
 * its plain text set to NULL, and every row sealed under a key other than the active one is re-sealed
 * under the active key (key rotation). Batches in id order, one UPDATE per batch; a row is only changed
 * while it is as it was read, so concurrent writers and a second run are harmless and a run that stops
 * part-way is simply run again.
 */
export async function migrateConsentParties(
  dataSource: DataSource,
  cipher: PersonalDataCipher,
  options: PartyMigrationOptions = {},
): Promise<PartyMigrationResult> {
  const batchSize = options.batchSize ?? 500;
  const result: PartyMigrationResult = { encrypted: 0, reencrypted: 0 };
  let afterId: string | null = null;
  for (;;) {
    const rows: PartyRow[] = await dataSource.query(
      `SELECT id, tenant_id, from_party, from_party_ciphertext, from_party_key_id
         FROM consent_requests
        WHERE ($1::uuid IS NULL OR id > $1)
          AND (from_party IS NOT NULL OR from_party_key_id IS DISTINCT FROM $2)
        ORDER BY id
        LIMIT $3`,
      [afterId, cipher.activeKeyId, batchSize],
    );
    if (rows.length === 0) return result;
    const sealed = rows.map((row) => {
      const ref = { tenantId: row.tenant_id, consentId: row.id };
      const party =
        row.from_party ??
        openConsentParty(cipher, ref, {
          ciphertext: row.from_party_ciphertext ?? Buffer.alloc(0),
          keyId: row.from_party_key_id ?? '',
        });
      return sealConsentParty(cipher, ref, party);
    });
    const updated: { plaintext: boolean }[] = await dataSource.query(
      // A SELECT around the UPDATE, so the driver answers with the rows (TypeORM answers a bare UPDATE
      // with [rows, count]).
      `WITH sealed AS (
         UPDATE consent_requests c
            SET from_party = NULL,
                from_party_ciphertext = u.ciphertext,
                from_party_key_id = u.key_id,
                from_party_hmac = u.hmac
           FROM unnest($1::uuid[], $2::uuid[], $3::bytea[], $4::text[], $5::bytea[], $6::text[], $7::text[])
                  AS u(id, tenant_id, ciphertext, key_id, hmac, was_plain, was_key_id)
          WHERE c.tenant_id = u.tenant_id AND c.id = u.id
            AND c.from_party IS NOT DISTINCT FROM u.was_plain
            AND c.from_party_key_id IS NOT DISTINCT FROM u.was_key_id
         RETURNING u.was_plain IS NOT NULL AS plaintext
       )
       SELECT plaintext FROM sealed`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.tenant_id),
        sealed.map((value) => value.ciphertext),
        sealed.map((value) => value.keyId),
        sealed.map((value) => value.hmac),
        rows.map((row) => row.from_party),
        rows.map((row) => row.from_party_key_id),
      ],
    );
    const encrypted = updated.filter((row) => row.plaintext).length;
    result.encrypted += encrypted;
    result.reencrypted += updated.length - encrypted;
    options.onBatch?.({ ...result });
    afterId = rows[rows.length - 1].id;
  }
}

function binding(row: ConsentRowRef) {
  return { column: CONSENT_FROM_PARTY, tenantId: row.tenantId, rowId: row.consentId };
}
