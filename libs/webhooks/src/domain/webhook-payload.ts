/** Event types a webhook endpoint can subscribe to; `consent.pending` is the tenant's own 202 and is not pushed. */
export const WEBHOOK_EVENT_TYPES = [
  'consent.created',
  'consent.accepted',
  'consent.rejected',
  'consent.revoked',
  'consent.expired',
  'consent.failed',
  'consent.deleted',
  'consent.used',
  'delegation.verified',
  'delegation.failed',
  'webhook_endpoint.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event `POST /v1/webhook-endpoints/{id}/test` sends; never in the feed. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The thin body every webhook carries (docs/events.md): ids and a status, never a fødselsnummer. */
export interface WebhookPayload {
  type: string;
  /** The event's id in `/v1/events` (the delivery id for test events). */
  id: string;
  occurredAt: string;
  data: {
    consentRequestId: string | null;
    status: string | null;
    tenantOrg: string;
    /** Only on `webhook_endpoint.disabled`: which endpoint. */
    endpointId?: string;
  };
}

/** An outbox event as the relay reads it. */
export interface OutboxEvent {
  id: string;
  type: string;
  occurredAt: string;
  consentRequestId: string | null;
  data: Record<string, unknown>;
}

/** True when an endpoint subscribed to `type`; an empty list means every webhook event type. */
export function endpointWants(eventTypes: readonly string[], type: string): boolean {
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) return false;
  return eventTypes.length === 0 || eventTypes.includes(type);
}

/**
 * Builds the payload by picking named fields: the event's `data` may grow (upstream details, errors) and
 * is never copied whole into a request leaving the provider.
 */
export function webhookPayload(event: OutboxEvent, tenantOrg: string): WebhookPayload {
  const status = event.data.status;
  const endpointId = event.data.endpointId;
  return {
    type: event.type,
    id: event.id,
    occurredAt: event.occurredAt,
    data: {
      consentRequestId: event.consentRequestId,
      status: typeof status === 'string' ? status : null,
      tenantOrg,
      ...(event.type === 'webhook_endpoint.disabled' && typeof endpointId === 'string' ? { endpointId } : {}),
    },
  };
}
