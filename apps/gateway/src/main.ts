import './start-tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, gatewayConfigSchema, loadConfig } from '@gw/config';
import { startGateway } from './gateway.bootstrap';

async function main(): Promise<void> {
  const gateway = await startGateway(loadConfig(gatewayConfigSchema, process.env));
  const logger = new Logger('Gateway');
  logger.log(`Tenant API on ${gateway.url} (/v1, /health, /docs)`);
  logger.log(`Management on ${gateway.adminUrl} (/admin/v1, /admin/queues, /admin/docs, /metrics, /health)`);
}

main().catch((error: unknown) => {
  new Logger('Gateway').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
