import { type OutboxEvent } from '@gw/events';
import { endpointWants, webhookPayload, type WebhookPayload } from './webhook-payload';

export interface FanOutEndpoint {
  id: string;
  tenantId: string;
  eventTypes: readonly string[];
}

/** One delivery the relay wants: (event, endpoint) with its body. */
export interface FanOutDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: WebhookPayload;
}

/**
 * One delivery per (event, enabled endpoint of the event's tenant that wants its type). Events of a
 * tenant whose org number is unknown (offboarded and gone) fan out to nobody.
 */
export function planDeliveries(
  events: readonly (OutboxEvent & { tenantId: string })[],
  endpoints: readonly FanOutEndpoint[],
  orgs: ReadonlyMap<string, string>,
  newId: () => string,
): FanOutDelivery[] {
  const planned: FanOutDelivery[] = [];
  for (const event of events) {
    const tenantOrg = orgs.get(event.tenantId);
    if (tenantOrg === undefined) continue;
    for (const endpoint of endpoints) {
      if (endpoint.tenantId !== event.tenantId || !endpointWants(endpoint.eventTypes, event.type)) continue;
      planned.push({
        id: newId(),
        tenantId: event.tenantId,
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        payload: webhookPayload(event, tenantOrg),
      });
    }
  }
  return planned;
}
