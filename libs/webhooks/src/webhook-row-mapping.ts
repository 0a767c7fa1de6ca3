import { type WebhookDelivery, type WebhookEndpoint } from './webhook-endpoint.entity';
import { type WebhookDeliveryRow, type WebhookEndpointRow } from './webhook-row.entity';

/** An endpoint's row without its sealed secrets, which the entity never selects. */
export type EndpointRow = Omit<WebhookEndpointRow, 'secretCiphertext' | 'previousSecretCiphertext'>;

// The entities' columns under their property names, so the rows of hand-written SQL have their shape.
export const ENDPOINT_COLUMNS = `id, tenant_id AS "tenantId", url, event_types AS "eventTypes", enabled,
  disabled_reason AS "disabledReason", failing_since AS "failingSince",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;
export const DELIVERY_COLUMNS = `id, tenant_id AS "tenantId", endpoint_id AS "endpointId", event_id::text AS "eventId",
  event_type AS "eventType", payload, status, attempts, next_attempt_at AS "nextAttemptAt",
  last_attempt_at AS "lastAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    tenantId: row.tenantId,
    url: row.url,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    tenantId: row.tenantId,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
