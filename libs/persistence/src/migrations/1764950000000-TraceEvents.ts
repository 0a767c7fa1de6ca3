import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Each outbox event keeps the W3C `traceparent` of the statement that wrote it, so the relay can hand its
 * webhook deliveries on inside the trace of the consent that produced the event (docs/observability.md).
 * With tracing on, the pg instrumentation appends `/*traceparent='00-…'*\/` to every statement
 * (sqlcommenter); the default reads it back from `current_query()`. With tracing off there is no comment
 * and the column stays empty: no writer of events knows the column exists.
 */
export class TraceEvents1764950000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    // Added empty first, then the default: a volatile default on ADD COLUMN would rewrite the table.
    await runner.query('ALTER TABLE events ADD COLUMN traceparent text');
    await runner.query(
      `ALTER TABLE events ALTER COLUMN traceparent SET DEFAULT
         substring(current_query() from 'traceparent=''(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})''')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE events DROP COLUMN traceparent');
  }
}
