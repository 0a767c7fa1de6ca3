import { type TenantId } from '@gw/tenants';
import { type WebhookPayload } from './domain/webhook-payload';

export type DisabledReason = 'manual' | 'gone' | 'failing' | 'offboarded';

/** A tenant's webhook endpoint as the API shows it (the secret is never part of it). */
export interface WebhookEndpoint {
  id: string;
  tenantId: TenantId;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  failingSince: Date | null;
  /** Until when the secret replaced by the last rotation still signs. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'dead'] as const;
/** pending: queued; failed: the last attempt failed and a retry is scheduled; dead: no more attempts. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one endpoint; its id is the `webhook-id` header on every attempt. */
export interface WebhookDelivery {
  id: string;
  tenantId: TenantId;
  endpointId: string;
  eventId: string | null;
  eventType: string;
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint secret shown once: at creation and at rotation. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}
