import { ADMIN_KEY } from './gateway-test-kit';
import { createBody, OTHER_PERSON, PERSON, READ, TENANT_A, TENANT_B, WRITE } from './consent-stack';
import { WebhookStack } from './webhook-stack';
import { adminKeyFingerprint } from '@gw/auth';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// The admin reads and actions support needs beyond onboarding: a tenant's consent requests with
// fødselsnummer masked, its webhooks with retry and replay (audited as the operator), the queues' backlog.
describe('admin support routes', () => {
  const stack = new WebhookStack();
  let tenantA: string;
  let keyA: string;
  let tenantB: string;

  beforeAll(async () => {
    await stack.startWebhookStack();
    ({ tenantId: tenantA, key: keyA } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    ({ tenantId: tenantB } = await stack.onboard(TENANT_B, 'Sparebank Annen'));
  });
  afterAll(() => stack.close());

  it('lists a tenant’s consent requests with each fødselsnummer masked', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({ requiredDelegator: `urn:altinn:person:identifier-no:${OTHER_PERSON}` }),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    const listed = await stack.request('GET', `/admin/v1/tenants/${tenantA}/consent-requests`);
    expect(listed.status).toBe(200);
    const item = listed.body.data.find((consent: { id: string }) => consent.id === created.body.id);
    expect(item).toMatchObject({
      from: `urn:altinn:person:identifier-no:${PERSON.slice(0, 6)}•••••`,
      requiredDelegator: `urn:altinn:person:identifier-no:${OTHER_PERSON.slice(0, 6)}•••••`,
      to: `urn:altinn:organization:identifier-no:${TENANT_A}`,
    });
    expect(JSON.stringify(listed.body).replace(UUID, '')).not.toMatch(/\d{11}/);
  });

  it('filters a tenant’s consent requests by status and keeps other tenants’ out', async () => {
    const failed = await stack.request('GET', `/admin/v1/tenants/${tenantA}/consent-requests?status=revoked`);
    expect([failed.status, failed.body.data]).toEqual([200, []]);
    const other = await stack.request('GET', `/admin/v1/tenants/${tenantB}/consent-requests`);
    expect([other.status, other.body.data]).toEqual([200, []]);
  });

  it('refuses a bad status, an unknown tenant and a caller without the admin key', async () => {
    const bad = await stack.request('GET', `/admin/v1/tenants/${tenantA}/consent-requests?status=nope`);
    expect([bad.status, bad.body.errors?.[0]?.parameter]).toEqual([422, 'status']);
    const unknown = await stack.request(
      'GET',
      '/admin/v1/tenants/00000000-0000-4000-8000-000000000000/webhook-endpoints',
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'tenants.not_found']);
    const anonymous = await stack.request('GET', `/admin/v1/tenants/${tenantA}/consent-requests`, {
      key: null,
    });
    expect(anonymous.status).toBe(401);
  });

  it('shows a tenant’s endpoints and failed deliveries, and retries and replays them as the operator', async () => {
    let up = false;
    stack.receiver.answer('/support/down', () => ({ status: up ? 204 : 503 }));
    const endpoint = await stack.request('POST', '/v1/webhook-endpoints', {
      key: keyA,
      body: { url: stack.receiver.url('/support/down'), eventTypes: ['consent.used'] },
    });
    expect(endpoint.status).toBe(201);
    const test = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.body.id}/test`, { key: keyA });
    await stack.waitForDelivery(keyA, endpoint.body.id, test.body.id, 'failed');

    const endpoints = await stack.request('GET', `/admin/v1/tenants/${tenantA}/webhook-endpoints`);
    expect(endpoints.body.data.map((item: { id: string }) => item.id)).toContain(endpoint.body.id);
    expect(JSON.stringify(endpoints.body)).not.toContain('whsec_');
    const deliveries = await stack.request(
      'GET',
      `/admin/v1/tenants/${tenantA}/webhook-endpoints/${endpoint.body.id}/deliveries`,
    );
    // Its (scaled) retries go on failing until the receiver is up: failed, or dead once they are spent.
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({ id: test.body.id, status: expect.stringMatching(/^(failed|dead)$/) }),
    ]);

    up = true;
    const retried = await stack.request(
      'POST',
      `/admin/v1/tenants/${tenantA}/webhook-deliveries/${test.body.id}/retry`,
    );
    expect(retried.status).toBe(202);
    await stack.waitForDelivery(keyA, endpoint.body.id, test.body.id, 'succeeded');
    const audit = await stack.request(
      'GET',
      `/admin/v1/audit-log?action=webhook_delivery.retried&target=webhook_delivery:${test.body.id}`,
    );
    expect(audit.body.data).toEqual([
      expect.objectContaining({ actor: adminKeyFingerprint(ADMIN_KEY), tenantId: tenantA }),
    ]);

    const replayed = await stack.request(
      'POST',
      `/admin/v1/tenants/${tenantA}/webhook-endpoints/${endpoint.body.id}/replay`,
      { body: { since: new Date(Date.now() - 60_000).toISOString() } },
    );
    expect([replayed.status, replayed.body]).toEqual([202, { requeued: 0 }]);
  });

  it('does not retry another tenant’s delivery through the wrong tenant', async () => {
    const endpoint = await stack.request('POST', '/v1/webhook-endpoints', {
      key: keyA,
      body: { url: stack.receiver.url('/support/mine'), eventTypes: ['consent.used'] },
    });
    const test = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.body.id}/test`, { key: keyA });
    const answer = await stack.request(
      'POST',
      `/admin/v1/tenants/${tenantB}/webhook-deliveries/${test.body.id}/retry`,
    );
    expect([answer.status, answer.body.code]).toEqual([404, 'webhooks.delivery_not_found']);
  });

  it('reports every queue’s backlog', async () => {
    const answer = await stack.request('GET', '/admin/v1/system/queues');
    expect(answer.status).toBe(200);
    const names = answer.body.data.map((queue: { queue: string }) => queue.queue);
    expect(names).toEqual(expect.arrayContaining(['delegation-check', 'consent-create', 'webhook-delivery']));
    for (const queue of answer.body.data) {
      expect(queue).toEqual({
        queue: queue.queue,
        counts: expect.objectContaining({ waiting: expect.any(Number), failed: expect.any(Number) }),
        oldestWaitingSeconds: queue.counts.waiting + queue.counts.prioritized > 0 ? expect.any(Number) : null,
        paused: false,
      });
    }
  });
});
