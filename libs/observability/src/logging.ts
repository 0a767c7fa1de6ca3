import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { type Params } from 'nestjs-pino';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import { type RedactionOptions, redactLogLine } from './domain/redaction';
import { currentLogContext } from './log-context';

export interface LoggingOptions {
  /** `service` field of every line. */
  service: string;
  level: LevelWithSilent;
  /** Exact values to mask wherever they turn up, e.g. `configSecrets(config)`. */
  secrets?: readonly string[];
  /** Where lines go; default stdout. Every line is redacted on its way there. */
  destination?: DestinationStream;
}

/** Probes and scrapes would drown the request log. */
const QUIET_PATHS = /^\/(health\/|metrics(?:\?|$))/;

/**
 * Every line through `redactLogLine` on its way out: the last step after serializers, child bindings,
 * mixins and message formatting, so no field and no message escapes it.
 */
export function redactingDestination(
  target: DestinationStream,
  options: RedactionOptions = {},
): DestinationStream {
  return { write: (line: string) => target.write(redactLogLine(line, options)) };
}

/** nestjs-pino parameters: JSON lines with request id, caller and job context, redacted. */
export function loggerParams(options: LoggingOptions): Params {
  return {
    pinoHttp: [
      {
        level: options.level,
        base: { service: options.service, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        // Queue, job id and tenant of the job running now (worker); nothing in the gateway's requests.
        mixin: () => currentLogContext(),
        // In-request lines carry only the request id; the completion line has the request (headers
        // included, Authorization masked by the redaction) and the status.
        quietReqLogger: true,
        customAttributeKeys: { reqId: 'requestId' },
        // The gateway's Fastify request id (copied onto the raw request before this runs).
        genReqId: (request: IncomingMessage) =>
          (request as IncomingMessage & { id?: string }).id ?? randomUUID(),
        autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
          error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      },
      redactingDestination(options.destination ?? pino.destination({ dest: 1, sync: true }), {
        secrets: options.secrets,
      }),
    ],
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    assignResponse: true,
  };
}
