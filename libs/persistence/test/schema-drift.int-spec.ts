import { AUDIT_ENTITIES } from '@gw/audit';
import { AUTH_ENTITIES } from '@gw/auth';
import { CONSENT_ENTITIES } from '@gw/consent';
import { EVENTS_ENTITIES } from '@gw/events';
import { TENANTS_ENTITIES } from '@gw/tenants';
import { WEBHOOKS_ENTITIES } from '@gw/webhooks';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';

/** Every entity of every lib, as the apps register them. */
const ENTITIES = [
  ...TENANTS_ENTITIES,
  ...AUDIT_ENTITIES,
  ...AUTH_ENTITIES,
  ...CONSENT_ENTITIES,
  ...EVENTS_ENTITIES,
  ...WEBHOOKS_ENTITIES,
];

/**
 * The migrations are the schema; the entities describe it for TypeORM. On a database the migrations
 * built, TypeORM's schema builder must find nothing to change: a query here is a column, index,
 * constraint or key on which an entity and the migrations disagree.
 */
describe('entities against the migrated schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ entities: ENTITIES });
  });
  afterAll(() => database.drop());

  it('leave TypeORM nothing to change', async () => {
    const sql = await database.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('cover every table the migrations create', async () => {
    const tables = await database.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
    );
    const mapped = database.dataSource.entityMetadatas.map((metadata) => metadata.tableName);
    expect(tables.map((table) => table.table_name).sort()).toEqual([...mapped].sort());
  });
});
