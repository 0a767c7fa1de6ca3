import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { SimEnvironment } from '../core/sim-environment';
import { newTraceId } from '../core/trace-id';
import { readTokenForm } from './domain/token-form';
import { renderTokenError } from './domain/token-error';

/**
 * docs/upstream-contract.md §1: the token endpoint answers a body that is not form-encoded with
 * `invalid_request`. Fastify refuses a media type it has no parser for (XML, multipart…) with 415 before any
 * route runs, and such errors reach only global filters; this one turns that 415 on `POST /token` into
 * Maskinporten's answer and hands everything else, unchanged, to Nest's default handling.
 */
@Catch()
export class TokenMediaTypeFilter extends BaseExceptionFilter {
  constructor(private readonly environment: SimEnvironment) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest | undefined>();
    // Nest hands Fastify's own errors on as an HttpException with Fastify's status.
    if (
      exception instanceof HttpException &&
      exception.getStatus() === 415 &&
      request?.method === 'POST' &&
      request.url.split('?')[0] === '/token'
    ) {
      const verdict = readTokenForm(request.headers['content-type'], undefined);
      if (!verdict.ok) {
        void http
          .getResponse<FastifyReply>()
          .code(400)
          .header('content-type', 'application/json; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(JSON.stringify(renderTokenError(verdict.refusal, this.environment.issuer, newTraceId())));
        return;
      }
    }
    super.catch(exception, host);
  }
}
