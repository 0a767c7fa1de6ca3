import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, migrateConfigSchema } from '@gw/config';
import { createDataSource, runPendingMigrations } from '@gw/persistence';
import { createPersonalDataCipher, migrateConsentParties, personalDataOptionsFrom } from '@gw/personal-data';

// `npm run migrate`: a release step (and the first step of `npm start`), so replicas never race on migrations.
// After the schema, the data step seals consent parties still in plain text and re-seals those under an
// older data key (rotation); both are idempotent and resume where a stopped run left off. `--schema-only`
// skips it: for the release that introduces sealing, whose predecessor's replicas read only plain text.
async function main(): Promise<void> {
  const logger = new Logger('Migrate');
  const config = loadConfig(migrateConfigSchema, process.env);
  const schemaOnly = process.argv.slice(2).includes('--schema-only');
  // Keys first: a key KMS will not unwrap stops the release before the schema changes.
  const cipher = await createPersonalDataCipher(personalDataOptionsFrom(config));
  const applied = await runPendingMigrations(config.DATABASE_URL);
  logger.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date');
  if (schemaOnly) return;

  const dataSource = await createDataSource({
    url: config.DATABASE_URL,
    poolSize: 1,
    applicationName: 'sgw-migrate',
  }).initialize();
  try {
    const sealed = await migrateConsentParties(dataSource, cipher, {
      onBatch: (progress) =>
        logger.log(`Consent parties: ${progress.encrypted} sealed, ${progress.reencrypted} re-sealed so far`),
    });
    logger.log(
      `Consent parties under data key "${cipher.activeKeyId}": ${sealed.encrypted} sealed from plain text, ` +
        `${sealed.reencrypted} re-sealed from older keys`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  new Logger('Migrate').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
