import { type FastifyInstance } from 'fastify';

/** What body tracing needs of a logger (Nest's `Logger` and nestjs-pino's fit). */
export interface TraceLogger {
  verbose(message: unknown, context?: string): void;
}

const MAX_BODY_CHARS = 8_192;
const SKIPPED = /^\/(health\/|metrics|admin\/queues|docs)/;

/**
 * At `LOG_LEVEL=trace` only: each request's JSON body and each answer's body in the log, for debugging
 * an integration. They hold fødselsnummer and tokens, so this relies on the log redaction like every
 * other line does.
 */
export function installBodyTracing(fastify: FastifyInstance, logger: TraceLogger): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (request.body !== undefined && !SKIPPED.test(request.url)) {
      logger.verbose({ msg: 'request body', body: request.body }, 'HttpTrace');
    }
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload === 'string' && !SKIPPED.test(request.url)) {
      logger.verbose(
        { msg: 'response body', statusCode: reply.statusCode, body: payload.slice(0, MAX_BODY_CHARS) },
        'HttpTrace',
      );
    }
    done(null, payload);
  });
}
