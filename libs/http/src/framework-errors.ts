import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { type ProblemTable } from './problem-mapping';
import { sendProblem } from './problem.filter';
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
