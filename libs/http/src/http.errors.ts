import { type ProblemFieldError } from './problem';

/** Stable codes of the http lib. */
export type HttpErrorCode =
  /** The body is not JSON (400). */
  | 'http.malformed_body'
  /** The body or parameters break the schema (422); `errors[]` names each field. */
  | 'http.invalid_request'
  /** A pagination cursor this gateway did not issue (400). */
  | 'http.invalid_cursor'
  /** Postgres or Redis cannot be reached for the moment (503 with Retry-After). */
  | 'http.dependency_unavailable';

/** An error with a stable code: what libs throw and the problem filter maps (never an `HttpException`). */
export interface CodedError {
  readonly code: string;
  readonly message: string;
  /** Extension members copied into the problem document (never secrets). */
  readonly problemExtensions?: Record<string, unknown>;
}

/**
 * The base of every lib's domain error: a stable code the problem filter maps to a status and title, the
 * message that becomes the problem's `detail`, and optional extension members.
 */
export abstract class DomainError<Code extends string> extends Error implements CodedError {
  constructor(
    readonly code: Code,
    message: string,
    readonly problemExtensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Thrown by the request validation helpers; carries one entry per bad field. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly code = 'http.invalid_request' satisfies HttpErrorCode;
  constructor(readonly errors: ProblemFieldError[]) {
    super(
      errors.length === 1
        ? `The request has 1 invalid field: ${describe(errors[0])}`
        : `The request has ${errors.length} invalid fields`,
    );
  }
}

/** A request body its content type's parser refused (JSON that is not JSON, an empty JSON body). */
export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
  readonly code = 'http.malformed_body' satisfies HttpErrorCode;
}

/** A cursor that does not decode: tampered, truncated or from another listing. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly code = 'http.invalid_cursor' satisfies HttpErrorCode;
  constructor() {
    super('The cursor is not one this listing issued');
  }
}

function describe(error: ProblemFieldError | undefined): string {
  if (!error) return '';
  return `${error.parameter ?? (error.pointer || '(body)')} ${error.detail}`;
}
