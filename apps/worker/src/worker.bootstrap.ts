import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type WorkerConfig } from '@gw/config';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  app: INestApplication;
  /** The worker's own probe server (`/health/live`, `/health/ready`, `/metrics`), for orchestrators. */
  healthUrl: string;
  close(): Promise<void>;
}

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(config),
    new FastifyAdapter(),
    {
      logger: config.LOG_LEVEL === 'silent' ? false : undefined,
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.WORKER_HEALTH_PORT, '0.0.0.0');
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : config.WORKER_HEALTH_PORT;
  return { app, healthUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
