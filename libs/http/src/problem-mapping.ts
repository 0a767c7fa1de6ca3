import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { type CodedError, type HttpErrorCode, RequestValidationError } from './http.errors';
import { isDependencyUnavailable } from './dependency-unavailable';
import { isErrorLike } from './error-like';
import { problemType, type ProblemDocument } from './problem';

/** Postgres restarts and Redis failovers take seconds. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** How one domain error code is answered. */
export interface ProblemMapping {
  status: number;
  title: string;
}

/**
 * Status and title per code. Typed over the code union so that a code added to a lib without a row
 * here fails to compile (`Record` demands every key).
 */
export type ProblemTable<Code extends string> = Record<Code, ProblemMapping>;

/** The http lib's own rows; every app table spreads them in. */
export const HTTP_PROBLEMS: ProblemTable<HttpErrorCode> = {
  'http.malformed_body': { status: 400, title: 'Malformed request body' },
  'http.invalid_request': { status: 422, title: 'Invalid request' },
  'http.invalid_cursor': { status: 400, title: 'Invalid cursor' },
  'http.dependency_unavailable': { status: 503, title: 'Service unavailable' },
};

export interface ProblemAnswer {
  status: number;
  body: ProblemDocument;
  /** Sent as `Retry-After` when the client may simply try again later. */
  retryAfterSeconds?: number;
  /** Set for answers the operator must look at (5xx): the original error, logged with its stack. */
  unexpected?: unknown;
}

/**
 * Turns anything thrown while serving a request into a problem document: coded domain errors through
 * `table`, Nest and Fastify HTTP errors by their status, anything else a 500 that says only which
 * request failed (the stack goes to the logs, never to the client).
 */
export function problemFor(error: unknown, table: ProblemTable<string>, requestId?: string): ProblemAnswer {
  const base = requestId === undefined ? {} : { instance: `urn:request:${requestId}` };
  if (isCodedError(error) && Object.hasOwn(table, error.code)) {
    const { status, title } = table[error.code];
    const body: ProblemDocument = {
      type: problemType(error.code),
      title,
      status,
      detail: error.message,
      ...base,
      code: error.code,
      ...(error.problemExtensions ?? {}),
    };
    if (error instanceof RequestValidationError) body.errors = error.errors;
    if (status < 500) return { status, body };
    // A 503 (something was not queued, a dependency was away) always says when to try again.
    return status === 503
      ? { status, body, unexpected: error, retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS }
      : { status, body, unexpected: error };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return withStatus(status, messageOf(error), base, status >= 500 ? error : undefined);
  }
  const fastifyStatus = fastifyClientErrorStatus(error);
  if (fastifyStatus !== undefined) return withStatus(fastifyStatus, (error as Error).message, base);
  if (isDependencyUnavailable(error)) {
    const { status, title } = HTTP_PROBLEMS['http.dependency_unavailable'];
    return {
      status,
      body: {
        type: problemType('http.dependency_unavailable'),
        title,
        status,
        detail: 'A service the gateway depends on is unavailable; nothing was changed, retry shortly',
        ...base,
        code: 'http.dependency_unavailable',
      },
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
      unexpected: error,
    };
  }
  const detail =
    requestId === undefined
      ? 'An unexpected error occurred'
      : `An unexpected error occurred; quote request id ${requestId} when reporting it`;
  return { ...withStatus(500, detail, base), unexpected: error };
}

function withStatus(status: number, detail: string, base: object, unexpected?: unknown): ProblemAnswer {
  const answer: ProblemAnswer = {
    status,
    body: { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...base },
  };
  if (unexpected !== undefined) answer.unexpected = unexpected;
  return answer;
}

function isCodedError(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).code === 'string';
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}

/** Fastify's own errors (body parser, content type, body size) carry a 4xx `statusCode`. */
function fastifyClientErrorStatus(error: unknown): number | undefined {
  if (!isErrorLike(error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
