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

/** Every event type, in the order the API documents them (the feed's `type` enum). */
export const EVENT_TYPES = [...CONSENT_EVENT_TYPES, ...TENANT_EVENT_TYPES] as const;

/** Feed only: `consent.pending` is the tenant's own 202 answer, so it is never pushed to a webhook. */
const FEED_ONLY_EVENT_TYPES = ['consent.pending'] as const satisfies readonly EventType[];

/** What a webhook endpoint can subscribe to: every event type but the feed-only ones. */
export type WebhookEventType = Exclude<EventType, (typeof FEED_ONLY_EVENT_TYPES)[number]>;

function isWebhookEventType(type: EventType): type is WebhookEventType {
  return !(FEED_ONLY_EVENT_TYPES as readonly EventType[]).includes(type);
}

/** {@link WebhookEventType} as a list, in {@link EVENT_TYPES} order (never empty: a zod enum needs one). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter(isWebhookEventType) as [
  WebhookEventType,
  ...WebhookEventType[],
];

/** Whose feed is read: the tenant, with its org number as the caller's credential carries it. */
export interface FeedTenant {
  tenantId: string;
  orgNumber: string;
}

/** One entry of a tenant's feed (`GET /v1/events`); its `data` is a webhook's `data` for the same event. */
export interface FeedEvent {
  /** The feed cursor: strictly increasing per database. */
  id: string;
  type: EventType;
  occurredAt: string;
  consentRequestId: string | null;
  data: EventData;
}
