export {
  CONSENT_EVENT_TYPES,
  EVENT_TYPES,
  TENANT_EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
  type ConsentEventType,
  type TenantEventType,
  type EventType,
  type WebhookEventType,
  type FeedEvent,
  type FeedTenant,
} from './event-types';
export { EventsRepository, type NewEvent } from './events.repository';
export { EventFeedService } from './event-feed.service';
export { insertEventsSql, type EventInsertSqlOptions, type EventSqlValues } from './event-insert-sql';
export { EventsModule } from './events.module';
export { EventsCommittedListener, EVENTS_COMMITTED_CHANNEL } from './events-committed.listener';
export { eventData, eventDataSchema, type EventData, type OutboxEvent } from './event-data';
export { eventFeedResponseSchema, feedEventResponseSchema } from './events.schemas';
export { EventRow, EVENTS_ENTITIES } from './event-row.entity';
