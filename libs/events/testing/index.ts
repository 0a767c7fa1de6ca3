import { type EntityManager } from 'typeorm';
import {
  type EventData,
  type EventsRepository,
  type FeedEvent,
  type FeedTenant,
  type NewEvent,
} from '@gw/events';
import { type FakeDataSource, InMemoryTable, settled } from '@gw/persistence/testing';

/** An appended event with the position the sequencer gave it. */
export interface AppendedEvent extends NewEvent {
  position: string;
}

/**
 * The outbox in memory: `append` only inside an open transaction (an event commits or vanishes with the
 * change it reports), positions counted up, and the feed as the tenant's events after a position.
 * `failNextAppend` makes the next append fail.
 */
export class FakeEventsRepository implements Pick<EventsRepository, 'append' | 'feed'> {
  private readonly table = new InMemoryTable<AppendedEvent>();
  private position = 0;
  failNextAppend?: Error;

  constructor(private readonly db: FakeDataSource) {
    db.register(this.table);
  }

  /** Every committed event, in order. */
  get appended(): AppendedEvent[] {
    return this.table.values();
  }

  append(manager: EntityManager, event: NewEvent): Promise<void> {
    return settled(() => {
      this.db.assertOpen(manager);
      const failure = this.failNextAppend;
      this.failNextAppend = undefined;
      if (failure) throw failure;
      this.position += 1;
      this.table.set(String(this.position), { ...event, position: String(this.position) });
    });
  }

  feed(tenant: FeedTenant, after: string, limit: number): Promise<FeedEvent[]> {
    const rows = this.appended
      .filter((event) => event.tenantId === tenant.tenantId && Number(event.position) > Number(after))
      .slice(0, limit)
      .map((event) => ({
        id: event.position,
        type: event.type,
        occurredAt: new Date(0).toISOString(),
        consentRequestId: event.consentRequestId ?? null,
        data: (event.data ?? {}) as EventData,
      }));
    return Promise.resolve(rows);
  }

  asEventsRepository(): EventsRepository {
    return this as unknown as EventsRepository;
  }
}
