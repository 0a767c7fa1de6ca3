export { createDataSource, migrationsApplied, inTransaction, type DataSourceOptions } from './data-source';
export { PersistenceModule } from './persistence.module';
export { MIGRATIONS } from './migrations';
