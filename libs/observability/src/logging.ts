import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { type Params } from 'nestjs-pino';
import pino, {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
} from 'pino';
import {
  redactLogArguments,
  requestLogFields,
  responseLogFields,
  SERIALIZED_FIELDS,
} from './domain/log-fields';
import { type RedactionOptions, redactFields, redactValue } from '@gw/redaction';
import { currentLogContext } from './log-context';

export interface LoggingOptions {
  /** `service` field of every line. */
  service: string;
  level: LevelWithSilent;
  /** Exact values to mask wherever they turn up, e.g. `configSecrets(config)`. */
  secrets?: readonly string[];
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/** Probes and scrapes would drown the request log; the logger middleware does not even run for them. */
const QUIET_ROUTES = [
  { path: 'health/{*path}', method: RequestMethod.ALL },
  { path: 'metrics', method: RequestMethod.ALL },
];
/** And should one be reached past the exclusion (another prefix in front), still no line for it. */
const QUIET_PATHS = /^\/(health\/|metrics(?:\?|$))/;

/**
 * The process's root logger, redacting every part of a line before it is written: the message (formatted
 * first), the logged fields and the bindings of every child logger (walked, but for `req`, `res` and
 * `err`, whose serializers write only known fields and redact those that can carry personal data or
 * secrets). Nothing re-reads the finished line, so a request costs its few short strings, not a parse and
 * walk of the whole line.
 */
export function createRedactingLogger(options: LoggingOptions): Logger {
  const redaction: RedactionOptions = { secrets: options.secrets };
  const logger = pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Queue, job id and tenant of the job running now (worker); nothing in the gateway's requests.
      mixin: () => currentLogContext(),
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactLogArguments(args, redaction) as Parameters<typeof method>);
        },
      },
      formatters: {
        bindings: (bindings) => redactFields(bindings, redaction, SERIALIZED_FIELDS),
        log: (fields) => redactFields(fields, redaction, SERIALIZED_FIELDS),
      },
      serializers: {
        req: (request: unknown) => requestLogFields(request, redaction),
        res: (response: unknown) => responseLogFields(response, redaction),
        err: (error: unknown) => redactValue(pino.stdSerializers.err(error as Error), redaction),
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // Pino formats the bindings of the root logger only: children (pino-http's per request, nestjs-pino's
  // assign) inherit these two, which redact theirs as they are made.
  const pinoMethods = Object.getPrototypeOf(logger) as {
    child(this: Logger, bindings: Bindings, options?: ChildLoggerOptions): Logger;
    setBindings(this: Logger, bindings: Bindings): void;
  };
  Object.assign(logger, {
    child(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions) {
      return pinoMethods.child.call(this, redactFields(bindings, redaction, SERIALIZED_FIELDS), childOptions);
    },
    setBindings(this: Logger, bindings: Bindings) {
      pinoMethods.setBindings.call(this, redactFields(bindings, redaction, SERIALIZED_FIELDS));
    },
  });
  return logger;
}

/**
 * Node's warnings (deprecations, a library's notice about the Node version) as warn lines of `logger`
 * instead of Node's own text on stderr, so every line a process writes is JSON. Replaces Node's default
 * printer, once per process.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) =>
    logger.warn({ warning: warning.name, code: warning.code }, warning.message),
  );
}

/** nestjs-pino parameters: JSON lines with request id, caller and job context, redacted. */
export function loggerParams(options: LoggingOptions, logger = createRedactingLogger(options)): Params {
  return {
    pinoHttp: {
      logger,
      // In-request lines carry only the request id; the completion line has the request (method, URL,
      // a few headers, Authorization only as masked) and the status.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // The logger's serializers take the raw request and response.
      wrapSerializers: false,
      // The gateway's Fastify request id (copied onto the raw request before this runs).
      genReqId: (request: IncomingMessage) =>
        (request as IncomingMessage & { id?: string }).id ?? randomUUID(),
      autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    },
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    exclude: QUIET_ROUTES,
    assignResponse: true,
  };
}
