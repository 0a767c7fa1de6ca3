import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AuditService } from '@gw/audit';
import { AdminAuthService } from '@gw/auth';
import { type GatewayConfig } from '@gw/config';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  installJsonBodyParser,
  installSecurityHeaders,
  ProblemFilter,
  REQUEST_ID_HEADER,
  requestIdFor,
  sendProblem,
} from '@gw/http';
import {
  adminKeyFromAuthorization,
  installBodyTracing,
  installHttpMetrics,
  Metrics,
  mountQueueBoard,
  QueueInspector,
} from '@gw/observability';
import { mountOperatorConsole } from '@gw/operator-console';
import { REDIS_CONNECTION } from '@gw/queue';
import { GatewayModule } from './gateway.module';
import { ManagementListener, urlOf } from './listeners';
import { apiServersOf, setUpOpenApi } from './openapi';
import { GATEWAY_PROBLEMS } from './problem-table';

export interface RunningGateway {
  app: INestApplication;
  /** The public listener (PORT): the tenant API `/v1`, `/health/*`, the tenant API's docs at `/docs`. */
  url: string;
  /**
   * The management listener (MANAGEMENT_PORT): the admin API `/admin/v1`, bull-board `/admin/queues`,
   * the admin API's docs at `/admin/docs`, `/metrics` and `/health/*`.
   */
  adminUrl: string;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const management = new ManagementListener();
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    serverFactory: management.serverFactory,
    // Fastify's own refusals (an over-long or badly encoded path, a request Node cannot parse) as
    // problem+json with a request id, like every other answer.
    frameworkErrors: frameworkErrorHandler(GATEWAY_PROBLEMS),
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // pino-http (Nest middleware, on the raw request) logs under the same id.
    (request.raw as typeof request.raw & { id?: string }).id = request.id;
    done();
  });
  management.installSplit(fastify, GATEWAY_PROBLEMS);
  installJsonBodyParser(fastify);
  // Tenant answers carry fødselsnummer and consent tokens; admin answers carry freshly issued API keys.
  installSecurityHeaders(fastify, { noStorePrefixes: ['/v1', '/admin/v1'] });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : undefined,
    // JSON only, through installJsonBodyParser; other content types are a 415.
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (config.LOG_LEVEL === 'trace') installBodyTracing(fastify, logger);
  app.useGlobalFilters(new ProblemFilter(GATEWAY_PROBLEMS));
  installHttpMetrics(fastify, app.get(Metrics));
  const admin = app.get(AdminAuthService);
  const audit = app.get(AuditService);
  await mountQueueBoard(fastify, {
    queues: app.get(QueueInspector).queues,
    authorize: (request) => admin.authenticate(adminKeyFromAuthorization(request.headers.authorization)),
    refuse: (error, request, reply) => sendProblem(GATEWAY_PROBLEMS, error, request, reply),
    actions: config.QUEUE_BOARD_ACTIONS,
    recordAction: (action, actor, request) => audit.record({ actor, requestId: request.id }, action),
  });
  // The console's changes go through the admin API (its guard, validation and audit), over HTTP.
  mountOperatorConsole(fastify, {
    redis: app.get(REDIS_CONNECTION),
    keyPrefix: `${config.QUEUE_PREFIX}:`,
    adminApiKeys: config.ADMIN_API_KEY,
    authenticate: (presented) => admin.authenticate(presented),
    refuse: (error, request, reply) => sendProblem(GATEWAY_PROBLEMS, error, request, reply),
  });
  setUpOpenApi(app, apiServersOf(config));
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  let adminUrl: string;
  try {
    adminUrl = await management.listen(config.MANAGEMENT_PORT, config.MANAGEMENT_HOST);
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, url: urlOf(fastify.server), adminUrl, close: () => app.close() };
}
