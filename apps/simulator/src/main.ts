import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, simulatorConfigSchema } from '@gw/config';
import { startSimulator } from './simulator.bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(simulatorConfigSchema, process.env);
  const simulator = await startSimulator(config);
  new Logger('Simulator').log(
    `Maskinporten issuer ${simulator.issuer}, Altinn ${simulator.baseUrl}, KMS ${simulator.baseUrl} (control API at /_sim)`,
  );
}

main().catch((error: unknown) => {
  new Logger('Simulator').error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
