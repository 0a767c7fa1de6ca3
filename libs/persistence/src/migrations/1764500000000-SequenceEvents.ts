import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The feed's order becomes commit order. A bigserial id is handed out when a row is inserted, not when it
 * commits, so a lower id can become visible after a higher one, and the old guard (read only below the
 * cluster's oldest open transaction) let any open transaction anywhere in the cluster hold every feed
 * back. Now writers insert with `position` empty; one sequencer at a time (an advisory lock) stamps
 * committed rows from `events_position_seq`, so positions become visible strictly in order. `position` is
 * the event's public id: the feed cursor, the webhook payload's `id` and a delivery's `event_id`.
 * Existing rows keep their id as position, so cursors that consumers already hold stay valid.
 */
export class SequenceEvents1764500000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE events ADD COLUMN position bigint');
    await runner.query('UPDATE events SET position = id');
    await runner.query('ALTER TABLE events ADD CONSTRAINT events_position UNIQUE (position)');
    await runner.query('CREATE SEQUENCE events_position_seq AS bigint OWNED BY events.position');
    await runner.query(
      `SELECT setval('events_position_seq', GREATEST((SELECT max(id) FROM events), 1),
                     (SELECT max(id) FROM events) IS NOT NULL)`,
    );
    await runner.query('DROP INDEX events_tenant_id_id');
    await runner.query(
      'CREATE INDEX events_tenant_id_position ON events (tenant_id, position) WHERE position IS NOT NULL',
    );
    // The sequencer's work list: small, since rows leave it within milliseconds of their commit.
    await runner.query('CREATE INDEX events_unsequenced ON events (id) WHERE position IS NULL');
    await runner.query('ALTER TABLE events DROP COLUMN txid');

    // Deliveries name the event by its public id (unchanged for existing rows, where position = id).
    await runner.query(
      'ALTER TABLE webhook_deliveries DROP CONSTRAINT IF EXISTS webhook_deliveries_event_id_fkey',
    );
    await runner.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_id_fkey
         FOREIGN KEY (event_id) REFERENCES events (position)`,
    );
    // Fan-out now happens in the sequencer's transaction, so there is no cursor to keep.
    await runner.query('DROP TABLE webhook_relay_cursors');

    // Wakes the sequencer when a transaction that wrote events commits (NOTIFY is delivered at commit,
    // once per transaction and channel); its polling run stays as the safety net.
    await runner.query(`
      CREATE FUNCTION events_notify_committed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('events_committed', '');
        RETURN NULL;
      END $$`);
    await runner.query(
      `CREATE TRIGGER events_notify_committed AFTER INSERT ON events
         FOR EACH STATEMENT EXECUTE FUNCTION events_notify_committed()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TRIGGER events_notify_committed ON events');
    await runner.query('DROP FUNCTION events_notify_committed()');
    await runner.query(`
      CREATE TABLE webhook_relay_cursors (
        name text PRIMARY KEY,
        last_event_id bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `INSERT INTO webhook_relay_cursors (name, last_event_id)
       SELECT 'webhooks', COALESCE(max(id), 0) FROM events`,
    );
    await runner.query('ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey');
    await runner.query(
      `UPDATE webhook_deliveries d SET event_id = e.id FROM events e WHERE d.event_id = e.position`,
    );
    await runner.query(
      `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_id_fkey
         FOREIGN KEY (event_id) REFERENCES events (id)`,
    );
    await runner.query("ALTER TABLE events ADD COLUMN txid xid8 NOT NULL DEFAULT '0'::xid8");
    await runner.query('ALTER TABLE events ALTER COLUMN txid SET DEFAULT pg_current_xact_id()');
    await runner.query('DROP INDEX events_unsequenced');
    await runner.query('DROP INDEX events_tenant_id_position');
    await runner.query('CREATE INDEX events_tenant_id_id ON events (tenant_id, id)');
    await runner.query('ALTER TABLE events DROP CONSTRAINT events_position');
    await runner.query('ALTER TABLE events DROP COLUMN position');
  }
}
