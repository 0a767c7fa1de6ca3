import { type EventData } from './event-data';

/** docs/api-guide.md "Events": what a consent's status change is called in the feed and in webhooks. */
export const CONSENT_EVENT_TYPES = [
  'consent.pending',
  'consent.created',
  'consent.accepted',
  'consent.rejected',
  'consent.revoked',
  'consent.expired',
  'consent.failed',
  'consent.deleted',
  'consent.used',
] as const;
export type ConsentEventType = (typeof CONSENT_EVENT_TYPES)[number];

/** Events about a tenant rather than one consent. */
export const TENANT_EVENT_TYPES = [
  'delegation.verified',
  'delegation.failed',
  'webhook_endpoint.disabled',
] as const;
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[number];

export type EventType = ConsentEventType | TenantEventType;

/** One entry of a tenant's feed (`GET /v1/events`); its `data` is a webhook's `data` for the same event. */
export interface FeedEvent {
  /** The feed cursor: strictly increasing per database. */
  id: string;
  type: EventType;
  occurredAt: string;
  consentRequestId: string | null;
  data: EventData;
}
