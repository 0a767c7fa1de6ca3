import './start-tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, workerConfigSchema } from '@gw/config';
import { startWorker } from './worker.bootstrap';

async function main(): Promise<void> {
  const worker = await startWorker(loadConfig(workerConfigSchema, process.env));
  new Logger('Worker').log(`Health probes on ${worker.healthUrl}`);
}

main().catch((error: unknown) => {
  new Logger('Worker').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
