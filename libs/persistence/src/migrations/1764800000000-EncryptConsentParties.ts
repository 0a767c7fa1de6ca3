import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A consent's `from` (a person's fødselsnummer, or an org number) is stored sealed instead of in plain
 * text: AES-256-GCM ciphertext, the id of the data key that sealed it, and a keyed HMAC lookup value for
 * "the consents of this person" (libs/personal-data). `from_party` stays, nullable, for the rows written
 * before: the data step of `npm run migrate` seals them and sets it to NULL; every row holds one form.
 */
export class EncryptConsentParties1764800000000 implements MigrationInterface {
  name = 'EncryptConsentParties1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE consent_requests
        ADD COLUMN from_party_ciphertext bytea,
        ADD COLUMN from_party_key_id text,
        ADD COLUMN from_party_hmac bytea,
        ALTER COLUMN from_party DROP NOT NULL`);
    // NOT VALID, then VALIDATE: the check of existing rows runs without blocking writes to the table.
    await runner.query(`
      ALTER TABLE consent_requests ADD CONSTRAINT consent_requests_from_party_stored CHECK (
        from_party IS NOT NULL
        OR (from_party_ciphertext IS NOT NULL AND from_party_key_id IS NOT NULL AND from_party_hmac IS NOT NULL)
      ) NOT VALID`);
    await runner.query('ALTER TABLE consent_requests VALIDATE CONSTRAINT consent_requests_from_party_stored');
    await runner.query(
      'CREATE INDEX consent_requests_tenant_id_from_party_hmac ON consent_requests (tenant_id, from_party_hmac)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    // Sealed rows cannot be opened in SQL: going back needs their plain text restored by the application.
    await runner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM consent_requests WHERE from_party IS NULL) THEN
          RAISE EXCEPTION 'consent_requests holds sealed parties; restore from_party before reverting';
        END IF;
      END $$`);
    await runner.query('DROP INDEX consent_requests_tenant_id_from_party_hmac');
    await runner.query('ALTER TABLE consent_requests DROP CONSTRAINT consent_requests_from_party_stored');
    await runner.query(`
      ALTER TABLE consent_requests
        ALTER COLUMN from_party SET NOT NULL,
        DROP COLUMN from_party_hmac,
        DROP COLUMN from_party_key_id,
        DROP COLUMN from_party_ciphertext`);
  }
}
