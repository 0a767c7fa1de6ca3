import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { isErrorLike } from './error-like';
import { problemFor, type ProblemTable } from './problem-mapping';
import { PROBLEM_CONTENT_TYPE } from './problem';

/**
 * The one place errors become HTTP answers: RFC 9457 `application/problem+json` for every 4xx/5xx.
 * Register it with `app.useGlobalFilters(new ProblemFilter(table))`.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly table: ProblemTable<string>) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(this.table, error, request, reply, this.logger);
  }
}

/** Writes the problem answer for `error`; also used by Fastify's error handler for errors Nest never sees. */
export function sendProblem(
  table: ProblemTable<string>,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'> = new Logger('ProblemFilter'),
): void {
  const answer = problemFor(error, table, request.id);
  if (answer.unexpected !== undefined) {
    const unexpected = answer.unexpected;
    logger.error(
      `${request.method} ${request.routeOptions.url ?? request.url} failed (request ${request.id}): ${
        isErrorLike(unexpected) ? unexpected.message : typeof unexpected
      }`,
      isErrorLike(unexpected) ? unexpected.stack : undefined,
    );
  }
  if (answer.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(answer.retryAfterSeconds));
  void reply.status(answer.status).header('content-type', PROBLEM_CONTENT_TYPE).send(answer.body);
}
