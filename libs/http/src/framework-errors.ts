import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type Socket } from 'node:net';
import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { problemFor, type ProblemTable } from './problem-mapping';
import { sendProblem } from './problem.filter';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { REQUEST_ID_HEADER } from './request-id';

/** A refusal of Fastify's router, carried as the 4xx status the problem mapping answers by. */
class RouterRefusal extends Error {
  override readonly name = 'RouterRefusal';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

// Fastify's own messages repeat the path, which may be kilobytes: say what is wrong without it.
function refusalOf(error: FastifyError): unknown {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new RouterRefusal(414, 'A path parameter is longer than any this API takes');
    case 'FST_ERR_BAD_URL':
      return new RouterRefusal(400, 'The path is not valid percent-encoded UTF-8');
    default:
      return error;
  }
}

/**
 * Fastify's `frameworkErrors` option: the router refuses a path parameter over `maxParamLength` or a
 * badly percent-encoded path before any hook runs, and by default answers with its own JSON and no
 * request id. This answers problem+json through `table`, with `x-request-id`, like every other error.
 */
export function frameworkErrorHandler(
  table: ProblemTable<string>,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    sendProblem(table, refusalOf(error), request, reply);
  };
}

const CLIENT_ERRORS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers are larger than this server takes'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
};

/**
 * Fastify's `clientErrorHandler` option: Node refuses a request it cannot parse (request line and
 * headers over its size limit, malformed HTTP) before Fastify sees one, and Fastify's default writes
 * its own JSON. This writes a problem document with a fresh request id instead, then closes the socket.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP'];
  const id = randomUUID();
  const body = JSON.stringify(problemFor(new RouterRefusal(status, detail), {}, id).body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
