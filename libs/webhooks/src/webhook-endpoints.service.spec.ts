import { FakeAuditService } from '@gw/audit/testing';
import { FakeDataSource } from '@gw/persistence/testing';
import { QueueName } from '@gw/queue';
import { FakeQueue } from '@gw/queue/testing';
import { TenantOffboardingHooks } from '@gw/tenants';
import { TENANT_A, TENANT_B } from '@gw/tenants/testing';
import { FakeWebhookRepositories, guardWithDns } from '../testing';
import { ROTATION_OVERLAP_MS, SECRET_PREFIX } from './domain/webhook-secret';
import { WebhookDeliveryQueue } from './webhook-delivery.queue';
import { type WebhookTenant, WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSecretBox } from './webhook-secret-box';

// WebhookEndpointsService over in-memory fakes: the SSRF check before anything is stored, secrets shown
// once and stored sealed, audit records per change, and what is queued when.

const CALLER: WebhookTenant = TENANT_A;
const OTHER_CALLER: WebhookTenant = TENANT_B;
const TENANT = CALLER.tenantId;
const OTHER = OTHER_CALLER.tenantId;
const URL_A = 'https://hooks.bank.example/samtykke?token=s3cret';
const URL_B = 'https://other.bank.example/events';
const MISSING = '0192f3a4-0000-7000-8000-00000000ffff';

function setup() {
  const db = new FakeDataSource();
  const repository = new FakeWebhookRepositories(db);
  const audit = new FakeAuditService(db);
  const dns = new Map([
    ['hooks.bank.example', ['93.184.215.14']],
    ['other.bank.example', ['93.184.215.15']],
    ['intranet.bank.example', ['10.0.0.5']],
  ]);
  const box = new WebhookSecretBox(Buffer.alloc(32, 7));
  const queue = new FakeQueue<{ tenantId: string; deliveryId: string }>(QueueName.WebhookDelivery);
  const offboarding = new TenantOffboardingHooks();
  const service = new WebhookEndpointsService(
    db.asDataSource(),
    audit.asAuditService(),
    repository.asWebhookEndpointsRepository(),
    guardWithDns(dns),
    box,
    new WebhookDeliveryQueue(queue.asQueue()),
    offboarding,
  );
  service.onModuleInit();
  return { db, repository, audit, dns, box, queue, offboarding, service };
}

describe('WebhookEndpointsService.create', () => {
  it.each([
    ['a host that resolves to a private address', 'https://intranet.bank.example/hook'],
    ['plain http', 'http://hooks.bank.example/hook'],
    ['a host that does not resolve', 'https://nowhere.bank.example/hook'],
  ])('refuses %s with webhooks.url_not_allowed pointing at /url, storing nothing', async (_what, url) => {
    const { service, audit } = setup();
    const refusal = service.create(CALLER, { url, eventTypes: [] });
    await expect(refusal).rejects.toMatchObject({
      code: 'webhooks.url_not_allowed',
      problemExtensions: { errors: [{ pointer: '/url' }] },
    });
    expect(await service.list(TENANT, undefined, 10)).toEqual({ data: [], next: null });
    expect(audit.records).toEqual([]);
  });

  it('shows the secret once and stores it only sealed', async () => {
    const { service, repository, box } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: ['consent.accepted'] });

    expect(created.secret.startsWith(SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(created.secret.slice(SECRET_PREFIX.length), 'base64')).toHaveLength(32);
    const sealed = repository.sealedSecrets(created.id)!;
    expect(sealed.current.toString('latin1')).not.toContain(created.secret);
    expect(box.open(created.id, sealed.current)).toBe(created.secret);
    expect(await service.get(TENANT, created.id)).not.toHaveProperty('secret');
    expect(JSON.stringify(await service.list(TENANT, undefined, 10))).not.toContain(created.secret);
  });

  it('gives every endpoint its own secret', async () => {
    const { service } = setup();
    const a = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const b = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    expect(a.secret).not.toBe(b.secret);
  });

  it('audits the creation as the calling key with the URL stripped of its query, never the secret', async () => {
    const { service, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: ['consent.accepted'] });
    expect(audit.records).toEqual([
      {
        actor: CALLER.actor,
        requestId: CALLER.requestId,
        tenantId: TENANT,
        action: 'webhook_endpoint.created',
        target: `webhook_endpoint:${created.id}`,
        details: { url: 'https://hooks.bank.example/samtykke', eventTypes: ['consent.accepted'] },
      },
    ]);
    expect(JSON.stringify(audit.records)).not.toContain(created.secret);
  });

  it('stores no endpoint when its audit record cannot be written', async () => {
    const { service, audit } = setup();
    audit.failNext = new Error('connection terminated');
    await expect(service.create(CALLER, { url: URL_A, eventTypes: [] })).rejects.toThrow(
      'connection terminated',
    );
    expect(await service.list(TENANT, undefined, 10)).toEqual({ data: [], next: null });
  });
});

describe('WebhookEndpointsService.list and get', () => {
  it("pages through the tenant's endpoints only, each page after the last one handed out", async () => {
    const { service } = setup();
    const mine = [];
    for (let i = 0; i < 3; i += 1) mine.push(await service.create(CALLER, { url: URL_A, eventTypes: [] }));
    await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });

    const first = await service.list(TENANT, undefined, 2);
    const second = await service.list(TENANT, first.next!, 2);

    expect([first.data.length, second.data.length, second.next]).toEqual([2, 1, null]);
    expect([...first.data, ...second.data].map((endpoint) => endpoint.id)).toEqual(
      mine.map((endpoint) => endpoint.id).sort(),
    );
  });

  it("answers webhooks.endpoint_not_found for another tenant's endpoint", async () => {
    const { service } = setup();
    const theirs = await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });
    await expect(service.get(TENANT, theirs.id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
  });
});

describe('WebhookEndpointsService.update', () => {
  it('checks a new URL again and keeps the old one when it is refused', async () => {
    const { service, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const refusal = service.update(CALLER, created.id, { url: 'https://intranet.bank.example/hook' });
    await expect(refusal).rejects.toMatchObject({ code: 'webhooks.url_not_allowed' });
    expect((await service.get(TENANT, created.id)).url).toBe(URL_A);
    expect(audit.actions).toEqual(['webhook_endpoint.created']);
  });

  it('checks the stored URL again before enabling: its host may point inside by now', async () => {
    const { service, dns } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    await service.update(CALLER, created.id, { enabled: false });
    dns.set('hooks.bank.example', ['10.0.0.9']);

    await expect(service.update(CALLER, created.id, { enabled: true })).rejects.toMatchObject({
      code: 'webhooks.url_not_allowed',
    });
    expect((await service.get(TENANT, created.id)).enabled).toBe(false);
  });

  it('audits which fields changed, with their new values', async () => {
    const { service, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const updated = await service.update(CALLER, created.id, {
      url: URL_B,
      eventTypes: ['consent.revoked'],
      enabled: true,
    });
    expect(updated).toMatchObject({ url: URL_B, eventTypes: ['consent.revoked'], enabled: true });
    expect(audit.records.at(-1)).toMatchObject({
      actor: CALLER.actor,
      action: 'webhook_endpoint.updated',
      target: `webhook_endpoint:${created.id}`,
      details: { changed: ['url', 'eventTypes'], url: URL_B, eventTypes: ['consent.revoked'] },
    });
  });

  it('audits nothing when the patch changes nothing', async () => {
    const { service, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: ['consent.accepted'] });
    await service.update(CALLER, created.id, { url: URL_A, eventTypes: ['consent.accepted'], enabled: true });
    expect(audit.actions).toEqual(['webhook_endpoint.created']);
  });

  it('clears the failure streak when an endpoint is enabled again', async () => {
    const { service, repository } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    repository.alterEndpoint(created.id, {
      enabled: false,
      disabledReason: 'failing',
      failingSince: new Date('2026-01-01T00:00:00Z'),
    });
    const enabled = await service.update(CALLER, created.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it("answers webhooks.endpoint_not_found for another tenant's endpoint and leaves it alone", async () => {
    const { service } = setup();
    const theirs = await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });
    await expect(service.update(CALLER, theirs.id, { enabled: false })).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
    expect((await service.get(OTHER, theirs.id)).enabled).toBe(true);
  });
});

describe('WebhookEndpointsService.delete', () => {
  it('deletes the endpoint and audits its URL without the query', async () => {
    const { service, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    await service.delete(CALLER, created.id);
    await expect(service.get(TENANT, created.id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
    expect(audit.records.at(-1)).toMatchObject({
      action: 'webhook_endpoint.deleted',
      target: `webhook_endpoint:${created.id}`,
      details: { url: 'https://hooks.bank.example/samtykke' },
    });
  });

  it("refuses to delete another tenant's endpoint", async () => {
    const { service } = setup();
    const theirs = await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });
    await expect(service.delete(CALLER, theirs.id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
    await expect(service.get(OTHER, theirs.id)).resolves.toMatchObject({ id: theirs.id });
  });
});

describe('WebhookEndpointsService.rotateSecret', () => {
  it('shows a new secret once and keeps the previous one signing for the overlap', async () => {
    const { service, repository, box, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const now = new Date('2026-03-01T12:00:00Z');

    const rotated = await service.rotateSecret(CALLER, created.id, now);

    const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previousSecretExpiresAt).toEqual(expiresAt);
    const sealed = repository.sealedSecrets(created.id)!;
    expect([box.open(created.id, sealed.current), box.open(created.id, sealed.previous!)]).toEqual([
      rotated.secret,
      created.secret,
    ]);
    expect(audit.records.at(-1)).toMatchObject({
      action: 'webhook_endpoint.secret_rotated',
      details: { previousSecretExpiresAt: expiresAt.toISOString() },
    });
    expect(JSON.stringify(audit.records)).not.toContain(rotated.secret);
  });

  it("answers webhooks.endpoint_not_found for another tenant's endpoint", async () => {
    const { service, repository, box } = setup();
    const theirs = await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });
    await expect(service.rotateSecret(CALLER, theirs.id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
    expect(box.open(theirs.id, repository.sealedSecrets(theirs.id)!.current)).toBe(theirs.secret);
  });
});

describe('WebhookEndpointsService.sendTest', () => {
  it('stores a webhook.test delivery, audits it and queues its job under the delivery id', async () => {
    const { service, queue, audit } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const now = new Date('2026-03-01T12:00:00Z');

    const delivery = await service.sendTest(CALLER, created.id, now);

    expect(delivery).toMatchObject({ endpointId: created.id, eventType: 'webhook.test', status: 'pending' });
    expect(delivery.payload).toMatchObject({
      type: 'webhook.test',
      id: delivery.id,
      occurredAt: now.toISOString(),
      data: expect.objectContaining({ tenantOrg: CALLER.orgNumber }),
    });
    expect(queue.jobs.map((job) => [job.id, job.data])).toEqual([
      [delivery.id, { tenantId: TENANT, deliveryId: delivery.id }],
    ]);
    expect(audit.records.at(-1)).toMatchObject({
      action: 'webhook_endpoint.test_sent',
      target: `webhook_endpoint:${created.id}`,
      details: { deliveryId: delivery.id },
    });
  });

  it('refuses a disabled endpoint with webhooks.endpoint_disabled, storing no delivery', async () => {
    const { service, queue } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    await service.update(CALLER, created.id, { enabled: false });
    await expect(service.sendTest(CALLER, created.id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_disabled',
    });
    expect((await service.listDeliveries(TENANT, created.id, { limit: 10 })).data).toEqual([]);
    expect(queue.jobs).toEqual([]);
  });

  it('keeps the delivery pending for the relay when the queue is down, answering webhooks.not_queued', async () => {
    const { service, queue } = setup();
    const created = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    queue.unavailable = true;
    await expect(service.sendTest(CALLER, created.id)).rejects.toMatchObject({ code: 'webhooks.not_queued' });
    const { data } = await service.listDeliveries(TENANT, created.id, { limit: 10 });
    expect(data.map((delivery) => [delivery.eventType, delivery.status])).toEqual([
      ['webhook.test', 'pending'],
    ]);
  });
});

describe('WebhookEndpointsService deliveries', () => {
  const payload = (id: string) => ({
    type: 'consent.accepted',
    id,
    occurredAt: '2026-03-01T12:00:00.000Z',
    data: { consentRequestId: 'c1', status: 'accepted', tenantOrg: CALLER.orgNumber },
  });

  async function withDeliveries(statuses: ('pending' | 'failed' | 'dead' | 'succeeded')[]) {
    const context = setup();
    const endpoint = await context.service.create(CALLER, { url: URL_A, eventTypes: [] });
    const deliveries = statuses.map((status, index) =>
      context.repository.seedDelivery(TENANT, {
        id: `0192f3a4-0000-7000-8000-00000000000${index}`,
        endpointId: endpoint.id,
        payload: payload(`${index}`),
        status,
        attempts: status === 'pending' ? 0 : 8,
        createdAt: new Date(Date.UTC(2026, 2, 1 + index)),
      }),
    );
    return { ...context, endpoint, deliveries };
  }

  it('lists the deliveries newest first, a page at a time', async () => {
    const { service, endpoint, deliveries } = await withDeliveries(['dead', 'failed', 'succeeded']);
    const first = await service.listDeliveries(TENANT, endpoint.id, { limit: 2 });
    const second = await service.listDeliveries(TENANT, endpoint.id, { limit: 2, cursor: first.next! });
    expect([...first.data, ...second.data].map((delivery) => delivery.id)).toEqual(
      deliveries.map((delivery) => delivery.id).reverse(),
    );
    expect(second.next).toBeNull();
  });

  it("answers webhooks.endpoint_not_found for the deliveries of another tenant's endpoint", async () => {
    const { service, endpoint } = await withDeliveries(['dead']);
    await expect(service.listDeliveries(OTHER, endpoint.id, { limit: 10 })).rejects.toMatchObject({
      code: 'webhooks.endpoint_not_found',
    });
  });

  it('retries a dead delivery under its own id: pending with a fresh schedule, audited, its job run now', async () => {
    const { service, queue, audit, endpoint, deliveries } = await withDeliveries(['dead']);
    const [dead] = deliveries;

    const retried = await service.retryDelivery(CALLER, dead.id);

    expect(retried).toMatchObject({ id: dead.id, status: 'pending', attempts: 0, lastError: null });
    expect(queue.jobs.map((job) => [job.id, job.data])).toEqual([
      [dead.id, { tenantId: TENANT, deliveryId: dead.id }],
    ]);
    expect(audit.records.at(-1)).toMatchObject({
      actor: CALLER.actor,
      action: 'webhook_delivery.retried',
      target: `webhook_delivery:${dead.id}`,
      details: { endpointId: endpoint.id },
    });
  });

  it('runs the existing failed job again rather than adding a second one', async () => {
    const { service, queue, deliveries } = await withDeliveries(['dead']);
    const [dead] = deliveries;
    const job = await queue.add('deliver', { tenantId: TENANT, deliveryId: dead.id }, { jobId: dead.id });
    job.state = 'failed';

    await service.retryDelivery(CALLER, dead.id);

    expect(queue.jobs.map((queued) => [queued.id, queued.state])).toEqual([[dead.id, 'waiting']]);
  });

  it('refuses to retry a delivery that is still queued with webhooks.delivery_in_progress', async () => {
    const { service, audit, deliveries } = await withDeliveries(['pending']);
    await expect(service.retryDelivery(CALLER, deliveries[0].id)).rejects.toMatchObject({
      code: 'webhooks.delivery_in_progress',
    });
    expect(audit.actions).toEqual(['webhook_endpoint.created']);
  });

  it("answers webhooks.delivery_not_found for an unknown delivery or another tenant's", async () => {
    const { service, deliveries } = await withDeliveries(['dead']);
    await expect(service.retryDelivery(CALLER, MISSING)).rejects.toMatchObject({
      code: 'webhooks.delivery_not_found',
    });
    await expect(service.retryDelivery(OTHER_CALLER, deliveries[0].id)).rejects.toMatchObject({
      code: 'webhooks.delivery_not_found',
    });
  });

  it('refuses to retry or replay for a disabled endpoint with webhooks.endpoint_disabled', async () => {
    const { service, repository, endpoint, deliveries } = await withDeliveries(['failed']);
    repository.alterEndpoint(endpoint.id, { enabled: false, disabledReason: 'gone' });
    await expect(service.retryDelivery(CALLER, deliveries[0].id)).rejects.toMatchObject({
      code: 'webhooks.endpoint_disabled',
    });
    await expect(service.replay(CALLER, endpoint.id, new Date(0))).rejects.toMatchObject({
      code: 'webhooks.endpoint_disabled',
    });
    expect(repository.delivery(deliveries[0].id)?.status).toBe('failed');
  });

  it('keeps the retry in the database when the queue is down, answering webhooks.not_queued', async () => {
    const { service, queue, repository, deliveries } = await withDeliveries(['dead']);
    queue.unavailable = true;
    await expect(service.retryDelivery(CALLER, deliveries[0].id)).rejects.toMatchObject({
      code: 'webhooks.not_queued',
    });
    expect(repository.delivery(deliveries[0].id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('replays the failed and dead deliveries created since the date, and audits how many', async () => {
    const { service, queue, audit, endpoint, deliveries, repository } = await withDeliveries([
      'dead',
      'failed',
      'dead',
      'succeeded',
    ]);
    const since = new Date(Date.UTC(2026, 2, 2));

    expect(await service.replay(CALLER, endpoint.id, since)).toEqual({ requeued: 2 });

    expect(deliveries.map((delivery) => repository.delivery(delivery.id)?.status)).toEqual([
      'dead',
      'pending',
      'pending',
      'succeeded',
    ]);
    expect(queue.jobs.map((job) => job.id)).toEqual([deliveries[1].id, deliveries[2].id]);
    expect(audit.records.at(-1)).toMatchObject({
      action: 'webhook_endpoint.replayed',
      target: `webhook_endpoint:${endpoint.id}`,
      details: { since: since.toISOString(), requeued: 2 },
    });
  });

  it('audits no replay that found nothing to deliver again', async () => {
    const { service, audit, endpoint } = await withDeliveries(['succeeded', 'pending']);
    expect(await service.replay(CALLER, endpoint.id, new Date(0))).toEqual({ requeued: 0 });
    expect(audit.actions).toEqual(['webhook_endpoint.created']);
  });
});

describe('WebhookEndpointsService on offboarding', () => {
  it("disables the tenant's endpoints and ends their open deliveries, leaving other tenants' alone", async () => {
    const { service, offboarding, db, repository } = setup();
    const mine = await service.create(CALLER, { url: URL_A, eventTypes: [] });
    const theirs = await service.create(OTHER_CALLER, { url: URL_B, eventTypes: [] });
    const open = await service.sendTest(CALLER, mine.id);

    await db.transaction((manager) => offboarding.run({ actor: 'admin:7f3a' }, TENANT, manager));

    expect(await service.get(TENANT, mine.id)).toMatchObject({
      enabled: false,
      disabledReason: 'offboarded',
    });
    expect(repository.delivery(open.id)?.status).toBe('dead');
    expect((await service.get(OTHER, theirs.id)).enabled).toBe(true);
  });
});
