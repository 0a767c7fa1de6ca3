export {
  createDataSource,
  migrationsApplied,
  inTransaction,
  runPendingMigrations,
  type DataSourceOptions,
} from './data-source';
export { PersistenceModule } from './persistence.module';
export { MIGRATIONS } from './migrations';
export { uuidV7 } from './uuid-v7';
export { isUniqueViolation } from './postgres-errors';
