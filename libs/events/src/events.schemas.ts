import { z } from 'zod';
import { eventDataSchema } from './event-data';
import { EVENT_TYPES } from './event-types';

/** One entry of a tenant's event feed (`FeedEvent`), as `GET /v1/events` shows it. */
export const feedEventResponseSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/)
    .describe('the feed cursor: pass the last one seen as `after`'),
  type: z.enum(EVENT_TYPES),
  occurredAt: z.iso.datetime(),
  consentRequestId: z.uuid().nullable(),
  data: eventDataSchema.describe('the same object as the webhook’s `data` for this event'),
});

/** A page of the feed: `next` is the last event's id, or null when nothing follows yet. */
export const eventFeedResponseSchema = z.object({
  data: z.array(feedEventResponseSchema),
  next: z.string().nullable().describe('pass as `after` for the following page; null: caught up'),
});
