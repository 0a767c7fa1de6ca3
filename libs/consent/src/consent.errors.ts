import { DomainError } from '@gw/http';
import { type FailureSource, type UpstreamFailure } from '@gw/queue';
import { type ConsentRequest } from './consent-request';

/** Stable codes of the consent lib; the gateway's problem table maps each to an HTTP status. */
export type ConsentErrorCode =
  | 'consent.not_found'
  /** A client-chosen id that already names a consent request. */
  | 'consent.duplicate_id'
  /** Idempotency-Key reused with another body (IETF draft: 422). */
  | 'consent.idempotency_key_mismatch'
  /** Idempotency-Key whose first request is still being processed (IETF draft: 409). */
  | 'consent.idempotency_key_in_flight'
  | 'consent.not_accepted'
  | 'consent.revoked'
  | 'consent.expired'
  | 'consent.scope_not_delegated'
  | 'consent.tenant_unavailable'
  /** The upstream call behind a request failed for good (Altinn refused, Maskinporten refused). */
  | 'consent.upstream_refused'
  /** The upstream could not be reached in time; the caller may retry. */
  | 'consent.upstream_unavailable'
  /** The job could not be queued (Redis down); nothing was written. */
  | 'consent.not_queued';

export class ConsentError extends DomainError<ConsentErrorCode> {
  override readonly name = 'ConsentError';
}

/**
 * What a creation the caller waited for (`Prefer: wait`) answers when it ended `failed`: the refusal, with
 * the upstream's failure as kept on the request; undefined for any other status.
 */
export function submissionRefusal(
  consent: Pick<ConsentRequest, 'id' | 'status' | 'upstream'>,
): ConsentError | undefined {
  if (consent.status !== 'failed') return undefined;
  return new ConsentError('consent.upstream_refused', 'Altinn did not create the consent request', {
    consentRequestId: consent.id,
    failure: consent.upstream,
  });
}

/**
 * Thrown when an upstream may answer later: an {@link UpstreamFailure} that is retryable, so the queue retries
 * the job with backoff, and no sooner than `retryAfterMs` when the upstream said how long to wait (Altinn's
 * or Maskinporten's `Retry-After` on a 429 or 503).
 */
export class RetryableUpstreamError extends Error implements UpstreamFailure {
  override readonly name = 'RetryableUpstreamError';
  readonly retryable = true;
  readonly source: FailureSource;
  readonly code: string;
  readonly upstreamCode?: string;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: {
      cause?: unknown;
      retryAfterMs?: number;
      source?: FailureSource;
      code?: string;
      upstreamCode?: string;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.source = options.source ?? 'gateway';
    this.code = options.code ?? 'consent.upstream_unavailable';
    this.upstreamCode = options.upstreamCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}
