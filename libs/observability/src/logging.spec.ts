import { Controller, Get, Logger as NestLogger, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger, LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { REDACTED } from '@gw/redaction';
import { createRedactingLogger, loggerParams } from './logging';

const PERSON = '03867199348';
const API_KEY = 'sgw_live_AbCd1234efGHijKLmnOPqrSTuvWXyz0123456789abcdefghi';
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxMjMiLCJjb25zdW1lcl9vcmciOiIzMTM4NzYxNDQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const ADMIN_KEY = 'ops-0123456789abcdefghijklmnopqrstuv';
const LEAKS = [PERSON, API_KEY, JWT, ADMIN_KEY, 'sgw_live_', 'eyJ'];

/** A destination keeping every line written. */
function capture(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

function parsed(lines: string[]): Record<string, any>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, any>);
}

function logger(destination: DestinationStream): PinoLogger {
  return createRedactingLogger({ service: 'test', level: 'trace', secrets: [ADMIN_KEY], destination });
}

describe('log lines from loggerParams', () => {
  it.each<[string, (log: PinoLogger) => void, (line: Record<string, any>) => void]>([
    [
      'a message, formatted',
      (log) => log.info('person %s used %s', PERSON, API_KEY),
      (line) => expect(line.msg).toBe(`person ${REDACTED} used ${REDACTED}`),
    ],
    [
      'fields, however deep',
      (log) =>
        log.warn(
          {
            body: {
              from: `urn:altinn:person:identifier-no:${PERSON}`,
              items: [{ token: 'opaque', note: JWT }],
            },
          },
          'refused',
        ),
      (line) =>
        expect(line.body).toEqual({
          from: `urn:altinn:person:identifier-no:${REDACTED}`,
          items: [{ token: REDACTED, note: REDACTED }],
        }),
    ],
    [
      'an error: the line’s message, the error’s message and its stack',
      (log) => log.error(new Error(`Altinn refused ${PERSON} with Bearer ${JWT}`)),
      (line) => {
        expect(line.msg).toBe(`Altinn refused ${REDACTED} with Bearer ${REDACTED}`);
        expect(line.err.message).toBe(line.msg);
        expect(line.err.stack).toContain(`Error: Altinn refused ${REDACTED}`);
      },
    ],
    [
      'the bindings of a child logger, and of its children',
      (log) =>
        log
          .child({ requestId: PERSON, caller: ADMIN_KEY })
          .child({ tenant: `tenant of ${PERSON}` })
          .info('x'),
      (line) =>
        expect([line.requestId, line.caller, line.tenant]).toEqual([
          REDACTED,
          REDACTED,
          `tenant of ${REDACTED}`,
        ]),
    ],
    [
      'bindings set on a logger later',
      (log) => {
        const child = log.child({ requestId: 'r-1' });
        child.setBindings({ tenant: `tenant of ${PERSON}` });
        child.info('x');
      },
      (line) => expect([line.requestId, line.tenant]).toEqual(['r-1', `tenant of ${REDACTED}`]),
    ],
    [
      'a configured secret no pattern knows, in the message and in fields',
      (log) => log.info({ header: `Bearer-less ${ADMIN_KEY}` }, `admin ${ADMIN_KEY}`),
      (line) => expect([line.msg, line.header]).toEqual([`admin ${REDACTED}`, `Bearer-less ${REDACTED}`]),
    ],
    [
      'a request logged as a field: its known fields only',
      (log) =>
        log.info(
          {
            req: {
              method: 'POST',
              url: `/v1/x?person=${PERSON}`,
              headers: { authorization: `Bearer ${API_KEY}`, cookie: 'session=1' },
              socket: {},
            },
          },
          'in',
        ),
      (line) =>
        expect(line.req).toEqual({
          method: 'POST',
          url: `/v1/x?person=${REDACTED}`,
          headers: { authorization: REDACTED },
        }),
    ],
  ])('redacts %s', (_case, write, check) => {
    const destination = capture();
    write(logger(destination));
    expect(destination.lines).toHaveLength(1);
    expect(LEAKS.filter((leak) => destination.lines[0].includes(leak))).toEqual([]);
    check(parsed(destination.lines)[0]);
  });
});

@Controller()
class ProbedController {
  private readonly logger = new NestLogger('Probed');

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }

  @Get('metrics')
  metrics() {
    return '';
  }

  @Get('v1/things/:id')
  thing() {
    this.logger.warn(`looked up for ${PERSON}`);
    return {};
  }
}

describe('request logging in a Nest app on Fastify', () => {
  const destination = capture();
  let app: NestFastifyApplication;

  @Module({
    imports: [
      LoggerModule.forRoot(
        loggerParams({ service: 'test', level: 'info', secrets: [ADMIN_KEY], destination }),
      ),
    ],
    controllers: [ProbedController],
  })
  class AppModule {}

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [AppModule] }).compile();
    // As the gateway does: Fastify's request id (here the client's X-Request-Id) on the raw request.
    const adapter = new FastifyAdapter({
      genReqId: (request: { headers: Record<string, string | string[] | undefined> }) =>
        String(request.headers['x-request-id'] ?? 'no-request-id'),
    });
    adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
      (request.raw as typeof request.raw & { id?: string }).id = request.id;
      done();
    });
    app = module.createNestApplication<NestFastifyApplication>(adapter, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('writes no line for probes and scrapes, and the known fields of any other request', async () => {
    const fastify = app.getHttpAdapter().getInstance();
    destination.lines.length = 0; // start-up lines
    for (const url of ['/health/live', '/health/ready', '/metrics', '/metrics?x=1']) {
      expect((await fastify.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
    expect(destination.lines).toEqual([]);
    const answer = await fastify.inject({
      method: 'GET',
      url: `/v1/things/${PERSON}?access_token=${JWT}`,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        'user-agent': 'bank-core/1.2',
        cookie: `s=${ADMIN_KEY}`,
        'x-request-id': PERSON,
      },
    });
    expect(answer.statusCode).toBe(200);

    expect(LEAKS.filter((leak) => destination.lines.some((line) => line.includes(leak)))).toEqual([]);
    const lines = parsed(destination.lines);
    expect(lines.map((line) => line.msg)).toEqual([`looked up for ${REDACTED}`, 'request completed']);
    const completed = lines[1];
    expect(completed.req).toEqual({
      method: 'GET',
      url: `/v1/things/${REDACTED}?access_token=${REDACTED}`,
      remoteAddress: '127.0.0.1',
      headers: { authorization: REDACTED, 'user-agent': 'bank-core/1.2' },
    });
    expect(completed.res).toEqual({ statusCode: 200 });
    expect([lines[0].requestId, completed.requestId]).toEqual([REDACTED, REDACTED]);
  });
});
