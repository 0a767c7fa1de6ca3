import { FakeDataSource } from '@gw/persistence/testing';
import { FakeEventsRepository } from '@gw/events/testing';
import { EventFeedService } from './event-feed.service';

const TENANT = '0190a0a0-0000-7000-8000-000000000001';
const OTHER = '0190a0a0-0000-7000-8000-000000000002';

describe('EventFeedService.page', () => {
  it("pages the tenant's events, the cursor being the last event id handed out", async () => {
    const db = new FakeDataSource();
    const events = new FakeEventsRepository(db);
    const feed = new EventFeedService(events.asEventsRepository());
    await db.transaction(async (manager) => {
      for (const tenantId of [TENANT, OTHER, TENANT, TENANT]) {
        await events.append(manager, { tenantId, type: 'consent.created', data: { status: 'created' } });
      }
    });

    const tenant = { tenantId: TENANT, orgNumber: '313876144' };
    const first = await feed.page(tenant, '0', 2);
    const second = await feed.page(tenant, first.next!, 2);

    expect(first.data.map((event) => event.id)).toEqual(['1', '3']);
    expect(first.next).toBe('3');
    expect([second.data.map((event) => event.id), second.next]).toEqual([['4'], null]);
  });
});
