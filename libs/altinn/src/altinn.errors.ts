import { type UpstreamFailure } from '@gw/queue';
import { type AltinnProblem } from './domain/problem';

/** Stable codes of the altinn lib; the gateway's problem filter maps each to an HTTP status. */
export type AltinnErrorCode =
  /** 401 (empty body): the bearer token is missing, expired, of another issuer or has no usable consumer. */
  | 'altinn.unauthorized'
  /** 403: empty body (a scope is missing, or `to` is not the token's consumer) or AM-00000 (another consumer's consent). */
  | 'altinn.forbidden'
  /** 404 AM-00001: no consent request with that id. */
  | 'altinn.not_found'
  /** 400 AM-00016: the id is taken by a consent request between other parties. */
  | 'altinn.id_conflict'
  /** 400 STD-00000 (see `problem.validationErrors`) or 500 STD-00001 listing 4xx problems. */
  | 'altinn.validation_failed'
  /** Any other 4xx problem (AM-00003 unknown organisation, AM-00005 invalid resource, AM-00006…9 metadata…). */
  | 'altinn.request_refused'
  /** A 4xx that is no Altinn problem (e.g. 415, or a 404 that matched no route: a wrong base URL). */
  | 'altinn.upstream_error'
  /** 5xx, 408, 429 or a network failure. */
  | 'altinn.unavailable'
  /** No complete answer within `timeoutMs`. */
  | 'altinn.timeout'
  /** A 2xx whose body is not what the contract says. */
  | 'altinn.invalid_response'
  /** Refused before sending: the call could never succeed (no token, an id that is not a UUID). */
  | 'altinn.invalid_request';

const RETRYABLE: ReadonlySet<AltinnErrorCode> = new Set(['altinn.unavailable', 'altinn.timeout']);

export interface AltinnErrorDetails {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** Altinn's problem details, when the answer carried them. */
  problem?: AltinnProblem;
  /** Retries worth making at most, when the answer says fewer than the queue's own budget. */
  maxRetries?: number;
  /** How long Altinn asked to be left alone (`Retry-After` of a 429 or 503), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Thrown by the Altinn client. Never carries the bearer token; its message names Altinn's code and title,
 * never request values (a `from` holds a fødselsnummer). An {@link UpstreamFailure}: the queues decide by it.
 */
export class AltinnError extends Error implements UpstreamFailure {
  override readonly name = 'AltinnError';
  readonly source = 'altinn';
  readonly status?: number;
  readonly problem?: AltinnProblem;
  /** Retries worth making at most (a 500 without Altinn's code); undefined: as many as the caller allows. */
  readonly maxRetries?: number;
  /** Altinn's `Retry-After`, in ms: the earliest a retry is worth making. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: AltinnErrorCode,
    message: string,
    details: AltinnErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.problem = details.problem;
    this.maxRetries = details.maxRetries;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Altinn's problem code, e.g. `AM-00005` or `STD-00000`. */
  get upstreamCode(): string | undefined {
    return this.problem?.code;
  }

  /** Altinn's trace id, for support cases. */
  get traceId(): string | undefined {
    return this.problem?.traceId;
  }

  /**
   * Whether the same call may succeed later unchanged (5xx, timeouts, network). Everything else is
   * permanent: a queue should fail the job without retrying (BullMQ `UnrecoverableError`).
   */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** Whether another try is worth making after `retriesMade` retries of the same call. */
  mayRetry(retriesMade: number): boolean {
    return this.retryable && (this.maxRetries === undefined || retriesMade < this.maxRetries);
  }
}
