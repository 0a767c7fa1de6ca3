import { Webhook } from 'standardwebhooks';
import { createBody, PERSON, READ, TENANT_A, TENANT_B, WRITE } from './consent-stack';
import { GatewayTestKit } from './gateway-test-kit';
import { type ReceivedWebhook } from './webhook-receiver';
import { WebhookStack } from './webhook-stack';

interface WebhookBody {
  type: string;
  id: string;
  occurredAt: string;
  data: { consentRequestId: string | null; status: string | null; tenantOrg: string; endpointId?: string };
}

interface FeedEvent {
  type: string;
  data: Record<string, unknown>;
}

// Webhooks end to end (docs/events.md): real Postgres, Redis, worker, simulator and a real HTTP receiver on
// 127.0.0.1.
describe('webhooks end to end', () => {
  const stack = new WebhookStack();
  const receiver = stack.receiver;
  let keyA: string;
  let keyB: string;
  // Endpoints for one test subscribe to an event type that never happens, so consent events stay away.
  const QUIET = ['consent.used'];

  beforeAll(async () => {
    await stack.startWebhookStack();
    ({ key: keyA } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    ({ key: keyB } = await stack.onboard(TENANT_B, 'Sparebank Annen'));
  });
  afterAll(() => stack.close());

  async function createEndpoint(key: string, path: string, eventTypes: string[] = QUIET) {
    const answer = await stack.request('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: receiver.url(path), eventTypes },
    });
    expect(answer.status).toBe(201);
    return answer.body as { id: string; secret: string };
  }

  async function sendTest(key: string, endpointId: string): Promise<string> {
    const answer = await stack.request('POST', `/v1/webhook-endpoints/${endpointId}/test`, { key });
    expect(answer.status).toBe(202);
    return answer.body.id as string;
  }

  function verify(secret: string, webhook: ReceivedWebhook): WebhookBody {
    return new Webhook(secret).verify(webhook.body, webhook.headers) as WebhookBody;
  }

  async function acceptedConsent(key: string): Promise<string> {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    await stack.sim.control('POST', `/_sim/consents/${created.body.id}/accept`);
    const refreshed = await stack.request('GET', `/v1/consent-requests/${created.body.id}?refresh=true`, {
      key,
    });
    expect(refreshed.body.status).toBe('accepted');
    return created.body.id as string;
  }

  it('delivers consent status changes signed per Standard Webhooks, with a thin payload', async () => {
    const endpoint = await createEndpoint(keyA, '/a/all', []);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await stack.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: keyA });
    expect(shown.body).toMatchObject({ id: endpoint.id, enabled: true, eventTypes: [] });
    expect(shown.body.secret).toBeUndefined();

    const consentId = await acceptedConsent(keyA);
    const forConsent = (type: string) => (webhook: ReceivedWebhook) =>
      webhook.path === '/a/all' && webhook.body.includes(consentId) && webhook.body.includes(`"${type}"`);
    // Deliveries run in parallel: per-endpoint order is not promised (docs/events.md), so wait for both.
    await receiver.waitFor(
      (all) => all.some(forConsent('consent.accepted')) && all.some(forConsent('consent.created')),
      20_000,
      'consent.created and consent.accepted',
    );

    const accepted = receiver.received.find(forConsent('consent.accepted'))!;
    expect(verify(endpoint.secret, accepted)).toEqual({
      type: 'consent.accepted',
      id: expect.stringMatching(/^\d+$/),
      occurredAt: expect.any(String),
      data: { consentRequestId: consentId, status: 'accepted', tenantOrg: TENANT_A },
    });
    expect(accepted.headers['content-type']).toBe('application/json');
    expect(accepted.body).not.toContain(PERSON);
    const created = receiver.received.find(forConsent('consent.created'));
    expect(created && verify(endpoint.secret, created).data.status).toBe('created');
    // consent.pending is the tenant's own 202, not pushed.
    expect(receiver.received.some(forConsent('consent.pending'))).toBe(false);

    const log = await stack.deliveries(keyA, endpoint.id, '&status=succeeded');
    const delivery = log.find((item) => item.id === accepted.headers['webhook-id']);
    expect(delivery).toMatchObject({
      eventType: 'consent.accepted',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(Number(delivery?.eventId)).toBeGreaterThan(0);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(accepted.body, accepted.headers),
    ).toThrow();
  });

  it('retries on the (scaled) schedule with the same webhook-id until a 2xx', async () => {
    receiver.answer('/a/flaky', (n) =>
      n <= 3 ? { status: n === 2 ? 302 : 503, headers: { location: '/a/x' } } : { status: 204 },
    );
    const endpoint = await createEndpoint(keyA, '/a/flaky');
    const deliveryId = await sendTest(keyA, endpoint.id);
    await receiver.waitFor(() => receiver.on('/a/flaky').length >= 4, 20_000, 'four attempts');
    const attempts = receiver.on('/a/flaky');
    expect(attempts).toHaveLength(4);
    expect(attempts.map((attempt) => attempt.headers['webhook-id'])).toEqual(Array(4).fill(deliveryId));
    for (const attempt of attempts) expect(verify(endpoint.secret, attempt).type).toBe('webhook.test');
    // Schedule 0, 5 s, 5 min, 30 min × 0.001, jitter ±20 %: each gap is at least 80 % of its step.
    const gaps = attempts.slice(1).map((attempt, index) => attempt.receivedAt - attempts[index].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(4);
    expect(gaps[1]).toBeGreaterThanOrEqual(240);
    expect(gaps[2]).toBeGreaterThanOrEqual(1_440);
    // The redirect was not followed.
    expect(receiver.on('/a/x')).toHaveLength(0);
    const delivery = await stack.waitForDelivery(keyA, endpoint.id, deliveryId, 'succeeded');
    expect(delivery).toMatchObject({ attempts: 4, lastStatusCode: 204, lastError: null });
  });

  it('disables an endpoint that answers 410 and records webhook_endpoint.disabled', async () => {
    receiver.answer('/a/gone', () => ({ status: 410 }));
    const endpoint = await createEndpoint(keyA, '/a/gone');
    const deliveryId = await sendTest(keyA, endpoint.id);
    const delivery = await stack.waitForDelivery(keyA, endpoint.id, deliveryId, 'dead');
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    const shown = await stack.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: keyA });
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'gone' });

    const feed = await stack.request<{ data: FeedEvent[] }>('GET', '/v1/events?limit=500', { key: keyA });
    expect(feed.body.data).toContainEqual(
      expect.objectContaining({
        type: 'webhook_endpoint.disabled',
        data: expect.objectContaining({ endpointId: endpoint.id, reason: 'gone' }),
      }),
    );
    // The tenant's endpoint subscribed to everything hears about it.
    await receiver.waitFor(
      () => receiver.on('/a/all').some((webhook) => webhook.body.includes(endpoint.id)),
      20_000,
      'webhook_endpoint.disabled',
    );
    const notice = receiver.on('/a/all').find((webhook) => webhook.body.includes(endpoint.id))!;
    expect(JSON.parse(notice.body)).toMatchObject({
      type: 'webhook_endpoint.disabled',
      data: { endpointId: endpoint.id },
    });

    const refused = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.id}/test`, { key: keyA });
    expect([refused.status, refused.body.code]).toEqual([409, 'webhooks.endpoint_disabled']);
    expect(receiver.on('/a/gone')).toHaveLength(1);
  });

  it('signs with the old and the new secret for 24 hours after a rotation', async () => {
    const endpoint = await createEndpoint(keyA, '/a/rotate');
    const rotated = await stack.request<{ secret: string; previousSecretExpiresAt: string }>(
      'POST',
      `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`,
      { key: keyA },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const overlapMs = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(overlapMs).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlapMs).toBeLessThanOrEqual(24 * 3_600_000);

    await sendTest(keyA, endpoint.id);
    await receiver.waitFor(() => receiver.on('/a/rotate').length === 1, 20_000, 'rotated test');
    const [webhook] = receiver.on('/a/rotate');
    expect(webhook.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(endpoint.secret, webhook).type).toBe('webhook.test');
    expect(verify(rotated.body.secret, webhook).type).toBe('webhook.test');

    // Once the window is over only the new secret signs.
    await stack.database.dataSource.query(
      "UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
      [endpoint.id],
    );
    await sendTest(keyA, endpoint.id);
    await receiver.waitFor(() => receiver.on('/a/rotate').length === 2, 20_000, 'second test');
    const later = receiver.on('/a/rotate')[1];
    expect(later.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(rotated.body.secret, later).type).toBe('webhook.test');
    expect(() => verify(endpoint.secret, later)).toThrow();
  });

  describe('SSRF guard', () => {
    it.each([
      ['https://127.0.0.1/hook', 'loopback'],
      ['https://10.0.0.1/hook', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://[::1]/hook', 'loopback'],
      ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
      ['https://localhost:1/hook', 'loopback'],
      ['http://127.0.0.1:1/hook', 'loopback'],
    ])('refuses %s with 422 pointing at /url', async (url, reason) => {
      const answer = await stack.request('POST', '/v1/webhook-endpoints', { key: keyA, body: { url } });
      expect(answer.status).toBe(422);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.code).toBe('webhooks.url_not_allowed');
      expect(answer.body.errors).toEqual([{ pointer: '/url', detail: expect.stringContaining(reason) }]);
    });

    it('refuses to move an endpoint to a private address, and stores nothing', async () => {
      const endpoint = await createEndpoint(keyA, '/a/ssrf');
      const answer = await stack.request('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
        key: keyA,
        body: { url: 'https://192.168.0.10/hook' },
      });
      expect([answer.status, answer.body.errors?.[0]?.pointer]).toEqual([422, '/url']);
      const shown = await stack.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: keyA });
      expect(shown.body.url).toBe(receiver.url('/a/ssrf'));
    });

    it('refuses http:// on a gateway without WEBHOOK_ALLOW_HTTP, and the receiver without its allow-list entry', async () => {
      const strict = await new GatewayTestKit().start();
      try {
        const { key } = await strict.onboard(TENANT_A, 'Sparebank Super');
        const http = await strict.request('POST', '/v1/webhook-endpoints', {
          key,
          body: { url: 'http://hooks.bank.example/x' },
        });
        expect([http.status, http.body.errors]).toEqual([
          422,
          [{ pointer: '/url', detail: 'must be an https URL' }],
        ]);
        const local = await strict.request('POST', '/v1/webhook-endpoints', {
          key,
          body: { url: `https://127.0.0.1:${receiver.port}/x` },
        });
        expect([local.status, local.body.code]).toEqual([422, 'webhooks.url_not_allowed']);
      } finally {
        await strict.close();
      }
    });
  });

  it('names each bad field of an endpoint by JSON pointer', async () => {
    const answer = await stack.request('POST', '/v1/webhook-endpoints', {
      key: keyA,
      body: { url: receiver.url('/x'), eventTypes: ['consent.accepted', 'nope'], colour: 'red' },
    });
    expect(answer.status).toBe(422);
    const errors = answer.body.errors as { pointer: string }[];
    expect(errors.map((error) => error.pointer).sort()).toEqual(['/colour', '/eventTypes/1']);
    const replay = await stack.request('POST', `/v1/webhook-endpoints/${crypto.randomUUID()}/replay`, {
      key: keyA,
      body: { since: 'yesterday' },
    });
    expect([replay.status, replay.body.errors?.[0]?.pointer]).toEqual([422, '/since']);
  });

  it('keeps delivering to a live endpoint while a dead one hangs', async () => {
    receiver.answer('/a/dead', () => 'hang');
    const dead = await createEndpoint(keyA, '/a/dead');
    const live = await createEndpoint(keyA, '/a/live');
    for (let index = 0; index < 30; index += 1) await sendTest(keyA, dead.id);
    await receiver.waitFor(() => receiver.on('/a/dead').length >= 1, 20_000, 'the dead endpoint');
    const liveDelivery = await sendTest(keyA, live.id);
    await stack.waitForDelivery(keyA, live.id, liveDelivery, 'succeeded');
    const open = (await stack.deliveries(keyA, dead.id)).filter((item) => item.status !== 'succeeded');
    expect(open.length).toBe(30);
    // WEBHOOK_ENDPOINT_CONCURRENCY=2: the dead endpoint never held more worker slots than that.
    expect(receiver.maxInFlight.get('/a/dead')).toBeLessThanOrEqual(2);
    await stack.request('PATCH', `/v1/webhook-endpoints/${dead.id}`, { key: keyA, body: { enabled: false } });
    receiver.release('/a/dead');
  });

  it('delivers once per (event, endpoint) with the same webhook-id when the worker stops mid-delivery', async () => {
    receiver.answer('/a/restart', (n) => (n === 1 ? 'hang' : { status: 200 }));
    const endpoint = await createEndpoint(keyA, '/a/restart', ['consent.created']);
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    await receiver.waitFor(() => receiver.on('/a/restart').length === 1, 20_000, 'the first attempt');

    await stack.stopWorker();
    const [stopped] = await stack.deliveries(keyA, endpoint.id);
    expect(stopped).toMatchObject({ status: 'pending', attempts: 0 });
    await stack.startWorkerAgain();

    await receiver.waitFor(
      () => receiver.on('/a/restart').length >= 2,
      20_000,
      'the attempt after the restart',
    );
    const delivery = await stack.waitForDelivery(keyA, endpoint.id, stopped.id, 'succeeded');
    expect(delivery.attempts).toBe(1);
    const attempts = receiver.on('/a/restart');
    expect(attempts.map((attempt) => attempt.headers['webhook-id'])).toEqual([stopped.id, stopped.id]);
    for (const attempt of attempts) {
      expect(verify(endpoint.secret, attempt).data.consentRequestId).toBe(created.body.id);
    }
    const rows = await stack.database.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1',
      [endpoint.id],
    );
    expect(rows[0].count).toBe('1');
  });

  it('retries one delivery on request and replays failed ones since a time', async () => {
    let status = 500;
    receiver.answer('/a/down', () => ({ status }));
    const endpoint = await createEndpoint(keyA, '/a/down');
    const since = new Date().toISOString();
    const first = await sendTest(keyA, endpoint.id);
    await stack.waitForDelivery(keyA, endpoint.id, first, 'failed');

    status = 200;
    const retried = await stack.request('POST', `/v1/webhook-deliveries/${first}/retry`, { key: keyA });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: first, status: 'pending', attempts: 0 });
    await stack.waitForDelivery(keyA, endpoint.id, first, 'succeeded');
    expect(receiver.on('/a/down').at(-1)?.headers['webhook-id']).toBe(first);

    status = 500;
    const more = [await sendTest(keyA, endpoint.id), await sendTest(keyA, endpoint.id)];
    for (const id of more) await stack.waitForDelivery(keyA, endpoint.id, id, 'failed');
    // Disabling ends them; enabling and replaying brings them back.
    await stack.request('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
      key: keyA,
      body: { enabled: false },
    });
    for (const id of more) await stack.waitForDelivery(keyA, endpoint.id, id, 'dead');
    const disabledReplay = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.id}/replay`, {
      key: keyA,
      body: { since },
    });
    expect([disabledReplay.status, disabledReplay.body.code]).toEqual([409, 'webhooks.endpoint_disabled']);
    const enabled = await stack.request('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
      key: keyA,
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    status = 200;
    const replay = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.id}/replay`, {
      key: keyA,
      body: { since },
    });
    expect([replay.status, replay.body]).toEqual([202, { requeued: 2 }]);
    for (const id of more) await stack.waitForDelivery(keyA, endpoint.id, id, 'succeeded');
  });

  it('disables an endpoint that has failed continuously for 5 (scaled) days', async () => {
    receiver.answer('/a/failing', () => ({ status: 503 }));
    const endpoint = await createEndpoint(keyA, '/a/failing');
    const first = await sendTest(keyA, endpoint.id);
    await stack.waitForDelivery(keyA, endpoint.id, first, 'failed');
    // 5 days × 0.001 = 432 s: move the start of the failure streak back past it.
    await stack.database.dataSource.query(
      "UPDATE webhook_endpoints SET failing_since = now() - interval '433 seconds' WHERE id = $1",
      [endpoint.id],
    );
    await stack.waitForDelivery(keyA, endpoint.id, first, 'dead');
    const shown = await stack.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: keyA });
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const feed = await stack.request<{ data: FeedEvent[] }>('GET', '/v1/events?limit=500', { key: keyA });
    expect(
      feed.body.data.filter(
        (event) => event.type === 'webhook_endpoint.disabled' && event.data.endpointId === endpoint.id,
      ),
    ).toHaveLength(1);
  });

  it("answers 404 for another tenant's endpoints and deliveries everywhere", async () => {
    const endpoint = await createEndpoint(keyA, '/a/private');
    const deliveryId = await sendTest(keyA, endpoint.id);
    await stack.waitForDelivery(keyA, endpoint.id, deliveryId, 'succeeded');
    const base = `/v1/webhook-endpoints/${endpoint.id}`;
    for (const [method, path, body] of [
      ['GET', base, undefined],
      ['PATCH', base, { enabled: false }],
      ['DELETE', base, undefined],
      ['POST', `${base}/rotate-secret`, undefined],
      ['POST', `${base}/test`, undefined],
      ['GET', `${base}/deliveries`, undefined],
      ['POST', `${base}/replay`, { since: new Date(0).toISOString() }],
    ] as const) {
      const answer = await stack.request(method, path, { key: keyB, body });
      expect([method, path, answer.status, answer.body.code]).toEqual([
        method,
        path,
        404,
        'webhooks.endpoint_not_found',
      ]);
    }
    const retry = await stack.request('POST', `/v1/webhook-deliveries/${deliveryId}/retry`, { key: keyB });
    expect([retry.status, retry.body.code]).toEqual([404, 'webhooks.delivery_not_found']);
    const list = await stack.request<{ data: { id: string }[] }>('GET', '/v1/webhook-endpoints', {
      key: keyB,
    });
    expect(list.body.data.map((item) => item.id)).not.toContain(endpoint.id);
    const still = await stack.request('GET', base, { key: keyA });
    expect(still.body.enabled).toBe(true);

    const removed = await stack.request('DELETE', base, { key: keyA });
    expect(removed.status).toBe(204);
    expect((await stack.request('GET', base, { key: keyA })).status).toBe(404);
  });

  it('lists endpoints page by page', async () => {
    const first = await stack.request<{ data: { id: string }[]; next: string }>(
      'GET',
      '/v1/webhook-endpoints?limit=2',
      {
        key: keyA,
      },
    );
    expect(first.body.data).toHaveLength(2);
    const second = await stack.request<{ data: { id: string }[] }>(
      'GET',
      `/v1/webhook-endpoints?limit=2&cursor=${first.body.next}`,
      { key: keyA },
    );
    expect(second.status).toBe(200);
    expect(second.body.data[0].id > first.body.data[1].id).toBe(true);
  });
});
