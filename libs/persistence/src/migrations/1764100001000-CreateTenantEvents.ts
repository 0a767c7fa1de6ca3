import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tenant events (`delegation.verified`, `delegation.failed`), written in the same statement as the
 * state they describe, until an events lib takes them into its outbox.
 */
export class CreateTenantEvents1764100001000 implements MigrationInterface {
  name = 'CreateTenantEvents1764100001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tenant_events (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        type text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query('CREATE INDEX tenant_events_tenant_id_id ON tenant_events (tenant_id, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE tenant_events');
  }
}
