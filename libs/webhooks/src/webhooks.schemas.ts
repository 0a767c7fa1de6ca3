import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@gw/events';
import { DELIVERY_STATUSES, type WebhookDelivery, type WebhookEndpoint } from './webhook-endpoint.entity';

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)])
  .describe('event types to receive; empty: all');
const url = z.string().min(1).max(2048).describe('https URL receiving POSTs (Standard Webhooks)');

export const createWebhookEndpointSchema = z.object({ url, eventTypes: eventTypes.default([]) }).strict();
export type CreateWebhookEndpointInput = z.output<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z
  .object({ url: url.optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional() })
  .strict();
export type UpdateWebhookEndpointInput = z.output<typeof updateWebhookEndpointSchema>;

export const webhookEndpointIdSchema = z.object({ id: z.uuid().max(36) });

export const listWebhookEndpointsQuerySchema = z
  .object({
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const listWebhookDeliveriesQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** The position a listing cursor holds: the last id handed out. */
export const webhookCursorSchema = z.object({ id: z.uuid() });

export const replayWebhookDeliveriesSchema = z
  .object({
    since: z.iso
      .datetime({ offset: true })
      .max(64)
      .transform((value) => new Date(value)),
  })
  .strict();

export const webhookEndpointResponseSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.enum(['manual', 'gone', 'failing']).nullable(),
  failingSince: z.string().nullable(),
  previousSecretExpiresAt: z
    .string()
    .nullable()
    .describe('until when the secret before the last rotation signs'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const webhookEndpointWithSecretResponseSchema = webhookEndpointResponseSchema.extend({
  secret: z.string().describe('whsec_… — shown only in this answer'),
});

export const webhookDeliveryResponseSchema = z.object({
  id: z.uuid().describe('the webhook-id header of every attempt'),
  endpointId: z.uuid(),
  eventId: z.string().nullable(),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});

/** An endpoint as the tenant API shows it. */
export function webhookEndpointView(endpoint: WebhookEndpoint & { secret?: string }) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
    ...(endpoint.secret === undefined ? {} : { secret: endpoint.secret }),
  };
}

/** A delivery as the tenant API shows it (without the body, which the tenant's own feed has). */
export function webhookDeliveryView(delivery: WebhookDelivery) {
  const open = delivery.status === 'pending' || delivery.status === 'failed';
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: open ? delivery.nextAttemptAt.toISOString() : null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
  };
}
