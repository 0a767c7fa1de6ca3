import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, gatewayConfigSchema, loadConfig } from '@gw/config';
import { startGateway } from './gateway.bootstrap';

async function main(): Promise<void> {
  const gateway = await startGateway(loadConfig(gatewayConfigSchema, process.env));
  new Logger('Gateway').log(`Listening on ${gateway.url}`);
}

main().catch((error: unknown) => {
  new Logger('Gateway').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
