import { Client } from 'pg';
import { inTransaction, migrationsApplied, MIGRATIONS } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';

describe('test database helper', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates a database of its own with every migration applied', async () => {
    expect(database.url).toMatch(/\/sgw_test_/);
    expect(await migrationsApplied(database.dataSource)).toBe(true);
    const applied = await database.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(applied).toHaveLength(MIGRATIONS.length);
  });

  it('rolls a transaction back when the work throws', async () => {
    await database.dataSource.query('CREATE TABLE probe (id int primary key)');
    await expect(
      inTransaction(database.dataSource, async (manager) => {
        await manager.query('INSERT INTO probe VALUES (1)');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await database.dataSource.query('SELECT * FROM probe')).toEqual([]);
  });

  it('drops the database afterwards', async () => {
    const other = await createTestDatabase();
    const name = new URL(other.url).pathname.slice(1);
    await other.drop();
    const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    const rows = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    await client.end();
    expect(rows.rowCount).toBe(0);
  });
});

describe('migrations', () => {
  it('go down and up again cleanly', async () => {
    const database = await createTestDatabase();
    try {
      for (let i = 0; i < MIGRATIONS.length; i += 1)
        await database.dataSource.undoLastMigration({ transaction: 'each' });
      expect(await migrationsApplied(database.dataSource)).toBe(false);
      await database.dataSource.runMigrations({ transaction: 'each' });
      expect(await migrationsApplied(database.dataSource)).toBe(true);
    } finally {
      await database.drop();
    }
  });

  it('keep the audit log append-only', async () => {
    const database = await createTestDatabase();
    try {
      await database.dataSource.query(
        `INSERT INTO audit_log (actor, action) VALUES ('admin', 'tenant.create')`,
      );
      await expect(database.dataSource.query(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(database.dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await database.drop();
    }
  });
});
