import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { type Observable } from 'rxjs';

/** Log fields read from a request once its guards have run, e.g. the tenant whose key authenticated. */
export type RequestLogFields = (request: FastifyRequest) => Record<string, string | undefined>;
export const REQUEST_LOG_FIELDS = Symbol('REQUEST_LOG_FIELDS');

/**
 * Adds the authenticated caller (tenant id) to the request's logger, so every later line of the request
 * and its "request completed" line carry it. For log correlation only, never for data access.
 */
@Injectable()
export class RequestLogContextInterceptor implements NestInterceptor {
  constructor(
    private readonly logger: PinoLogger,
    @Inject(REQUEST_LOG_FIELDS) private readonly fieldsOf: RequestLogFields,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const fields = Object.fromEntries(
        Object.entries(this.fieldsOf(context.switchToHttp().getRequest<FastifyRequest>())).filter(
          ([, value]) => value !== undefined,
        ),
      );
      if (Object.keys(fields).length > 0) {
        try {
          this.logger.assign(fields);
        } catch {
          // Outside pino-http's request scope (a route the logger middleware skips): nothing to add to.
        }
      }
    }
    return next.handle();
  }
}
