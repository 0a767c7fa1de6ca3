import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Consent requests, the outbox/feed of events, and Idempotency-Key records (docs/architecture.md "Data",
 * flows 2–5). Tenant-owned tables index tenant_id first: each of their queries names the tenant
 * (docs/architecture.md "Tenant isolation").
 */
export class CreateConsentRequests1764300000000 implements MigrationInterface {
  name = 'CreateConsentRequests1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE consent_requests (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        from_party text NOT NULL,
        to_org char(9) NOT NULL,
        valid_to timestamptz NOT NULL,
        rights jsonb NOT NULL,
        message jsonb,
        redirect_url text NOT NULL,
        required_delegator text,
        portal_view_mode text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN
          ('pending', 'created', 'accepted', 'rejected', 'revoked', 'expired', 'failed', 'deleted', 'used')),
        view_uri text,
        consented_at timestamptz,
        upstream jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      'CREATE INDEX consent_requests_tenant_id_updated_at ON consent_requests (tenant_id, updated_at, id)',
    );
    await runner.query(
      'CREATE INDEX consent_requests_tenant_id_status ON consent_requests (tenant_id, status, id)',
    );
    // The sweeper's and the trackers' scans: few rows are pending or awaiting the person at any time.
    await runner.query(
      `CREATE INDEX consent_requests_open ON consent_requests (status, created_at)
        WHERE status IN ('pending', 'created')`,
    );

    // The outbox and the tenant's event feed: the bigserial id is the feed cursor.
    await runner.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        type text NOT NULL,
        consent_request_id uuid REFERENCES consent_requests (id),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}',
        -- The writing transaction: readers stop below the oldest one still open, so a late commit of a
        -- lower id is never skipped by a reader that already moved past it.
        txid xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await runner.query('CREATE INDEX events_tenant_id_id ON events (tenant_id, id)');
    // docs/architecture.md flow 3: a transition is never emitted twice, whichever path saw it first.
    await runner.query(
      `CREATE UNIQUE INDEX events_consent_request_id_type ON events (consent_request_id, type)
        WHERE consent_request_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        key text NOT NULL,
        fingerprint text NOT NULL,
        consent_request_id uuid REFERENCES consent_requests (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);

    // Per tenant: where the Altinn event feed was read up to (docs/architecture.md flow 3a).
    await runner.query(`
      CREATE TABLE consent_feed_cursors (
        tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
        continuation_token text,
        polled_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE consent_feed_cursors');
    await runner.query('DROP TABLE idempotency_keys');
    await runner.query('DROP TABLE events');
    await runner.query('DROP TABLE consent_requests');
  }
}
