import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tenant API keys (docs/architecture.md "Data"): only the SHA-256 of a key is stored, found by its public
 * prefix; several live keys per tenant allow rotation.
 */
export class CreateApiKeys1764100000000 implements MigrationInterface {
  name = 'CreateApiKeys1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        prefix text NOT NULL,
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        name text NOT NULL DEFAULT '',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    // The lookup before the tenant is known: by the prefix the caller sent.
    await runner.query('CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix)');
    await runner.query('CREATE INDEX api_keys_tenant_id_created_at ON api_keys (tenant_id, created_at, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE api_keys');
  }
}
