import { DomainError } from '@gw/http';

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
