import { DataSource, type EntityManager, type MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  url: string;
  /** Entity classes of the libs that use this process's DataSource. */
  entities?: MixedList<string | (new () => unknown)>;
  poolSize?: number;
  applicationName?: string;
}

/** The one way a process gets a Postgres DataSource: migrations from this lib, never `synchronize`. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'samtykke-gateway',
    extra: { connectionTimeoutMillis: 5_000 },
  });
}

/** True when every migration this build knows has been applied to the database. */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}

/** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(work);
}

/** Applies every pending migration, each in its own transaction; returns the names it applied. */
export async function runPendingMigrations(url: string): Promise<string[]> {
  const dataSource = await createDataSource({
    url,
    poolSize: 1,
    applicationName: 'sgw-migrate',
  }).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
