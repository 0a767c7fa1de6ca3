export { ConfigError } from './config.errors';
export { loadConfig, type Environment } from './load-config';
export {
  simulatorConfigSchema,
  migrateConfigSchema,
  type MigrateConfig,
  gatewayConfigSchema,
  workerConfigSchema,
  type SimulatorConfig,
  type GatewayConfig,
  type WorkerConfig,
} from './config.schemas';
export { kmsConnectionOf, type KmsConnection, type KmsConnectionConfig } from './kms-connection';
