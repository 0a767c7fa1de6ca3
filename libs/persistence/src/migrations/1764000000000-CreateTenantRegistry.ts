import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tenants, the scopes each delegated to the provider, and the append-only audit log (docs/architecture.md
 * "Data").
 */
export class CreateTenantRegistry1764000000000 implements MigrationInterface {
  name = 'CreateTenantRegistry1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        org_number char(9) NOT NULL UNIQUE,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'offboarded')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE tenant_scopes (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        scope text NOT NULL,
        verified_at timestamptz,
        last_error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope)
      )`);
    await runner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        tenant_id uuid REFERENCES tenants (id),
        action text NOT NULL,
        target text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query('CREATE INDEX audit_log_tenant_id_id ON audit_log (tenant_id, id)');
    // Append-only: the application role may insert and read, never rewrite history.
    await runner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await runner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_log');
    await runner.query('DROP FUNCTION audit_log_append_only()');
    await runner.query('DROP TABLE tenant_scopes');
    await runner.query('DROP TABLE tenants');
  }
}
