import { DomainError } from '@gw/http';

/** Stable codes of the webhooks lib; the gateway's problem table maps each to an HTTP status. */
export type WebhooksErrorCode =
  | 'webhooks.endpoint_not_found'
  | 'webhooks.delivery_not_found'
  /** The URL breaks the SSRF guard (scheme, private address…); `errors[]` points at `/url` (422). */
  | 'webhooks.url_not_allowed'
  /** Test, retry or replay for an endpoint that is disabled (409). */
  | 'webhooks.endpoint_disabled'
  /** Retry of a delivery that is still queued (409). */
  | 'webhooks.delivery_in_progress'
  /** The job could not be queued (Redis down); nothing was written (503). */
  | 'webhooks.not_queued';

export class WebhooksError extends DomainError<WebhooksErrorCode> {
  override readonly name = 'WebhooksError';
}
