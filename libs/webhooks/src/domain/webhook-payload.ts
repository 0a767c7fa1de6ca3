import { eventData, WEBHOOK_EVENT_TYPES, type EventData, type OutboxEvent } from '@gw/events';

/** The event `POST /v1/webhook-endpoints/{id}/test` sends; never in the feed. */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * The thin body every webhook carries: the event's type, id and time, and the same `data` as the feed's
 * entry for the event (docs/events.md#event-data), never a fødselsnummer.
 */
export interface WebhookPayload {
  type: string;
  /** The event's id in `/v1/events` (the delivery id for test events). */
  id: string;
  occurredAt: string;
  data: EventData;
}

/** True when an endpoint subscribed to `type`; an empty list means every webhook event type. */
export function endpointWants(eventTypes: readonly string[], type: string): boolean {
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) return false;
  return eventTypes.length === 0 || eventTypes.includes(type);
}

/** The webhook body of an outbox event; its `data` is built by the events lib, as the feed's is. */
export function webhookPayload(event: OutboxEvent, tenantOrg: string): WebhookPayload {
  return {
    type: event.type,
    id: event.id,
    occurredAt: event.occurredAt,
    data: eventData(event, tenantOrg),
  };
}
