import { type UpstreamFailure } from '@gw/queue';

/** Stable codes of the maskinporten lib; the gateway's problem filter maps each to an HTTP status. */
export type MaskinportenErrorCode =
  /** The request could not become a valid grant (bad consumer_org, the provider's own org, bad details). */
  | 'maskinporten.grant_refused'
  /** MP-251: the consumer has not delegated the scope to the provider in Altinn. */
  | 'maskinporten.not_delegated'
  /** MP-250: the consumer organisation is not granted the scope. */
  | 'maskinporten.consumer_not_granted'
  /** MP-200/201 or `invalid_scope`: the scope is not registered on the provider's client. */
  | 'maskinporten.scope_not_on_client'
  /** MP-100 or `invalid_client`: the client id is unknown or refused. */
  | 'maskinporten.invalid_client'
  /** MP-121/124: the signing key is expired or not registered on the client (see key rotation). */
  | 'maskinporten.key_rejected'
  /** MP-301/302/303: the consent in `authorization_details` is refused (not accepted, revoked, expired…). */
  | 'maskinporten.consent_rejected'
  /** Any other `invalid_grant` (MP-110 aud, MP-130 expired JWT, MP-012 replay…). */
  | 'maskinporten.invalid_grant'
  | 'maskinporten.invalid_request'
  /** A 4xx Maskinporten answered without a recognisable OAuth error. */
  | 'maskinporten.upstream_error'
  /** 5xx, timeouts or network failures after every retry. */
  | 'maskinporten.unavailable'
  /** A 200 whose body is not a token response. */
  | 'maskinporten.invalid_response'
  | 'maskinporten.invalid_configuration';

export interface MaskinportenErrorDetails {
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** Maskinporten's OAuth `error`, e.g. `invalid_grant`. */
  upstreamError?: string;
  /** The MP code from `error_uri` or the description, e.g. `MP-251`. */
  mpCode?: string;
  /** Maskinporten's `error_description`, trace id included (it names orgs and scopes, never tokens). */
  description?: string;
  /** Token requests made, retries included. */
  attempts?: number;
  /**
   * Maskinporten's `Retry-After` (of a 429 or 503) when it was longer than the client waits in-process:
   * the earliest the caller's queue should try again, in ms.
   */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Thrown by the Maskinporten client, cache and service; never carries a token or an assertion. An
 * {@link UpstreamFailure}: the queues decide by it.
 */
export class MaskinportenError extends Error implements UpstreamFailure {
  override readonly name = 'MaskinportenError';
  readonly source = 'maskinporten';
  readonly status?: number;
  readonly upstreamError?: string;
  readonly mpCode?: string;
  readonly description?: string;
  readonly attempts?: number;
  /** Maskinporten's `Retry-After` in ms, when it asked for a wait the client did not make. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: MaskinportenErrorCode,
    message: string,
    details: MaskinportenErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.upstreamError = details.upstreamError;
    this.mpCode = details.mpCode;
    this.description = details.description;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Whether the same request may succeed later without anyone changing delegations, scopes or keys. */
  get retryable(): boolean {
    return this.code === 'maskinporten.unavailable';
  }

  /** Maskinporten's own code (`MP-251`), under the name every upstream failure uses. */
  get upstreamCode(): string | undefined {
    return this.mpCode;
  }
}
