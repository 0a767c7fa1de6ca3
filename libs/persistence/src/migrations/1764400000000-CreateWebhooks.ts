import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Webhook endpoints, their delivery log and the outbox relay's cursor (docs/architecture.md flow 5,
 * docs/events.md). Tenant-owned tables index tenant_id first: each of their queries names the tenant
 * (docs/architecture.md "Tenant isolation").
 */
export class CreateWebhooks1764400000000 implements MigrationInterface {
  name = 'CreateWebhooks1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        url text NOT NULL,
        -- Empty: every webhook event type.
        event_types text[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        -- AES-256-GCM (iv ‖ tag ‖ ciphertext) of the whsec_ secret, the endpoint id as associated data.
        secret_ciphertext bytea NOT NULL,
        -- After a rotation the previous secret signs too, until previous_secret_expires_at.
        previous_secret_ciphertext bytea,
        previous_secret_expires_at timestamptz,
        disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing', 'offboarded')),
        -- Start of the current run of failed attempts; null after a success.
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX webhook_endpoints_tenant_id_id ON webhook_endpoints (tenant_id, id)');
    // The relay's fan-out: enabled endpoints of the event's tenant.
    await runner.query(
      'CREATE INDEX webhook_endpoints_tenant_id_enabled ON webhook_endpoints (tenant_id) WHERE enabled',
    );

    await runner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        -- Null for test events, which are not in the outbox.
        event_id bigint REFERENCES events (id),
        event_type text NOT NULL,
        -- The exact JSON body sent on every attempt.
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- One delivery per (event, endpoint), whichever relay run or worker sees the event.
        CONSTRAINT webhook_deliveries_event_id_endpoint_id UNIQUE (event_id, endpoint_id)
      )`);
    await runner.query(
      `CREATE INDEX webhook_deliveries_tenant_id_endpoint_id ON webhook_deliveries
         (tenant_id, endpoint_id, status, created_at, id)`,
    );
    await runner.query(
      'CREATE INDEX webhook_deliveries_tenant_id_endpoint_id_id ON webhook_deliveries (tenant_id, endpoint_id, id)',
    );
    // The relay's sweep for deliveries whose job was lost: few rows are open at any time.
    await runner.query(
      `CREATE INDEX webhook_deliveries_open ON webhook_deliveries (next_attempt_at)
        WHERE status IN ('pending', 'failed')`,
    );

    // Where the outbox relay has fanned events out up to (one row per relay).
    await runner.query(`
      CREATE TABLE webhook_relay_cursors (
        name text PRIMARY KEY,
        last_event_id bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Start after the events that exist now: endpoints created later never receive history.
    await runner.query(
      `INSERT INTO webhook_relay_cursors (name, last_event_id)
       SELECT 'webhooks', COALESCE(max(id), 0) FROM events`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE webhook_relay_cursors');
    await runner.query('DROP TABLE webhook_deliveries');
    await runner.query('DROP TABLE webhook_endpoints');
  }
}
