import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the audit log's filters. Each btree leads with the filtered column and ends with id, so a
 * filtered page reads in id order without a sort; `action` uses text_pattern_ops so a prefix (`LIKE
 * 'webhook\_endpoint.%'`) uses it whatever the database's collation. occurred_at follows insertion
 * order in an append-only table, which a BRIN index covers at almost no cost per insert. (target, id)
 * also answers "has this target had this action", which a repeated no-op action asks.
 */
export class IndexAuditLogFilters1764700000000 implements MigrationInterface {
  name = 'IndexAuditLogFilters1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX audit_log_actor_id ON audit_log (actor, id)');
    await runner.query('CREATE INDEX audit_log_action_id ON audit_log (action text_pattern_ops, id)');
    await runner.query('CREATE INDEX audit_log_target_id ON audit_log (target, id)');
    await runner.query('CREATE INDEX audit_log_occurred_at ON audit_log USING brin (occurred_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX audit_log_occurred_at');
    await runner.query('DROP INDEX audit_log_target_id');
    await runner.query('DROP INDEX audit_log_action_id');
    await runner.query('DROP INDEX audit_log_actor_id');
  }
}
