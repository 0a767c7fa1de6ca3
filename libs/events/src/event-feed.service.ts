import { Injectable } from '@nestjs/common';
import { type Page } from '@gw/http';
import { type FeedEvent, type FeedTenant } from './event-types';
import { EventsRepository } from './events.repository';

/** A tenant's ordered event feed (`GET /v1/events`), `delegation.*` and webhook endpoint events included. */
@Injectable()
export class EventFeedService {
  constructor(private readonly events: EventsRepository) {}

  /** The tenant's events after the cursor `after` (an event id; `'0'` for the start), at most `limit`. */
  async page(tenant: FeedTenant, after: string, limit: number): Promise<Page<FeedEvent>> {
    const rows = await this.events.feed(tenant, after, limit + 1);
    // The feed's cursor is the event id itself: consumers may store it as a number.
    return { data: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1].id : null };
  }
}
