import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, migrateConfigSchema } from '@gw/config';
import { runPendingMigrations } from '@gw/persistence';

// `npm run migrate`: a release step (and the first step of `npm start`), so replicas never race on migrations.
async function main(): Promise<void> {
  const config = loadConfig(migrateConfigSchema, process.env);
  const applied = await runPendingMigrations(config.DATABASE_URL);
  new Logger('Migrate').log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date');
}

main().catch((error: unknown) => {
  new Logger('Migrate').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
