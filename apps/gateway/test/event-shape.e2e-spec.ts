import { Webhook } from 'standardwebhooks';
import { type EventData, eventDataSchema } from '@gw/events';
import { createBody, PERSON, READ, TENANT_A, WRITE } from './consent-stack';
import { type ReceivedWebhook } from './webhook-receiver';
import { WebhookStack } from './webhook-stack';

interface Delivered {
  type: string;
  id: string;
  occurredAt: string;
  data: EventData;
}

interface FeedEntry extends Delivered {
  consentRequestId: string | null;
}

// One event shape (docs/events.md#event-data): a webhook's `data` is the feed entry's `data` for the same
// event, through the real relay, worker, simulator and an HTTP receiver.
describe('one event shape in webhooks and the feed', () => {
  const stack = new WebhookStack();
  let key: string;
  let secret: string;

  beforeAll(async () => {
    await stack.startWebhookStack();
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    const endpoint = await stack.request('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: stack.receiver.url('/shape'), eventTypes: [] },
    });
    expect(endpoint.status).toBe(201);
    secret = endpoint.body.secret as string;
  });
  afterAll(() => stack.close());

  it('gives a consent event the same data in its webhook and in the feed, view URI included', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    expect(created.body.viewUri).toEqual(expect.any(String));
    const consentId = created.body.id as string;
    await stack.sim.control('POST', `/_sim/consents/${consentId}/accept`);
    await stack.request('GET', `/v1/consent-requests/${consentId}?refresh=true`, { key });

    const about = (type: string) => (webhook: ReceivedWebhook) =>
      webhook.path === '/shape' && webhook.body.includes(consentId) && webhook.body.includes(`"${type}"`);
    await stack.receiver.waitFor(
      (all) => all.some(about('consent.created')) && all.some(about('consent.accepted')),
      20_000,
      'consent.created and consent.accepted',
    );
    const feed = await stack.request<{ data: FeedEntry[] }>('GET', '/v1/events?limit=500', { key });
    expect(feed.status).toBe(200);

    for (const type of ['consent.created', 'consent.accepted']) {
      const webhook = stack.receiver.received.find(about(type))!;
      const delivered = new Webhook(secret).verify(webhook.body, webhook.headers) as Delivered;
      const entry = feed.body.data.find((event) => event.id === delivered.id);
      expect(entry).toMatchObject({ type, occurredAt: delivered.occurredAt, consentRequestId: consentId });
      expect(delivered.data).toEqual(entry?.data);
      expect(eventDataSchema.strict().parse(delivered.data)).toEqual(delivered.data);
      expect(webhook.body).not.toContain(PERSON);
    }

    const createdEntry = feed.body.data.find(
      (event) => event.type === 'consent.created' && event.consentRequestId === consentId,
    );
    expect(createdEntry?.data).toEqual({
      consentRequestId: consentId,
      status: 'created',
      tenantOrg: TENANT_A,
      viewUri: created.body.viewUri,
    });
  });
});
