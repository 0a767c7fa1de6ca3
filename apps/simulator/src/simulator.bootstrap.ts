import { setTimeout as sleep } from 'node:timers/promises';
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type SimulatorConfig } from '@gw/config';
import { SeedService } from './control/seed.service';
import { FaultInjector } from './core/fault-injector';
import { SimEnvironment } from './core/sim-environment';
import { classifyUpstreamCall, SimStats } from './core/sim-stats';
import { SimulatorModule } from './simulator.module';

export interface RunningSimulator {
  app: INestApplication;
  baseUrl: string;
  /** docs/upstream-contract.md §1: the Maskinporten issuer, base URL with a trailing slash. */
  issuer: string;
  close(): Promise<void>;
}

const LOG_LEVELS: Record<SimulatorConfig['LOG_LEVEL'], LogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Starts Maskinporten, Altinn's consent API, AWS KMS and the `/_sim` control API on one port. */
export async function startSimulator(config: SimulatorConfig): Promise<RunningSimulator> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    routerOptions: { caseSensitive: false },
    // A request held by a latency fault (15 s stalls) must not hold the simulator's shutdown.
    forceCloseConnections: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(SimulatorModule.forRoot(config), adapter, {
    logger: LOG_LEVELS[config.LOG_LEVEL],
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Nest's Fastify adapter parses application/x-www-form-urlencoded (the token request) itself.
  // docs/upstream-contract.md §3: KMS speaks JSON under its own media type.
  fastify.addContentTypeParser(
    'application/x-amz-json-1.1',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch {
        done(Object.assign(new Error('SerializationException'), { statusCode: 400 }), undefined);
      }
    },
  );

  const stats = app.get(SimStats);
  const faults = app.get(FaultInjector);
  fastify.addHook('onRequest', async (request, reply) => {
    const target = request.headers['x-amz-target'];
    const call = classifyUpstreamCall(
      request.method,
      request.url.split('?')[0],
      typeof target === 'string' ? target : undefined,
    );
    if (!call) return;
    stats.count(call);
    const outcome = faults.decide(call.upstream);
    if (outcome.latencyMs > 0) await sleep(outcome.latencyMs);
    if (outcome.failure) {
      await reply
        .code(outcome.failure.status)
        .header('content-type', outcome.failure.contentType)
        .send(outcome.failure.body);
    }
  });

  app.enableShutdownHooks();
  await app.listen(config.SIMULATOR_PORT, config.SIMULATOR_HOST);
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.SIMULATOR_PORT;
  const environment = app.get(SimEnvironment);
  environment.baseUrl = (config.SIMULATOR_PUBLIC_URL ?? `http://${config.SIMULATOR_HOST}:${port}`).replace(
    /\/$/,
    '',
  );
  if (config.SIMULATOR_SEED) await app.get(SeedService).seed();

  return {
    app,
    baseUrl: environment.baseUrl,
    issuer: environment.issuer,
    close: () => app.close(),
  };
}
