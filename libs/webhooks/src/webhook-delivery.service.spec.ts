import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { FakeEventsRepository } from '@gw/events/testing';
import { FakeDataSource } from '@gw/persistence/testing';
import { TENANT_A, TENANT_B } from '@gw/tenants/testing';
import { FakeEndpointSlots, FakeReceiver, FakeWebhookRepositories, guardWithDns } from '../testing';
import { DISABLE_AFTER_MS } from './domain/delivery-schedule';
import { formatSecret } from './domain/webhook-secret';
import { type DeliveryStatus } from './webhook-endpoint.entity';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookSecretBox } from './webhook-secret-box';
import { type WebhooksOptions } from './webhooks.options';

// WebhookDeliveryService over in-memory fakes. `postWebhook` is a module function the service calls
// directly (no constructor seam), so the module is replaced by a fake receiver: no socket is opened.
const mockReceiver = { current: new FakeReceiver() };
jest.mock('./webhook-transport', () => ({
  postWebhook: (outgoing: Parameters<FakeReceiver['receive']>[0]) => mockReceiver.current.receive(outgoing),
}));

const TENANT = TENANT_A.tenantId;
const ENDPOINT = '0192f3a4-1111-7000-8000-000000000001';
const DELIVERY = '0192f3a4-2222-7000-8000-000000000001';
const OPTIONS: WebhooksOptions = {
  allowHttp: false,
  allowedHosts: [],
  timeoutMs: 1_000,
  retryScale: 1,
  endpointConcurrency: 2,
  relayIntervalMs: 1_000,
};
const PAYLOAD = {
  type: 'consent.accepted',
  id: '42',
  occurredAt: '2026-03-01T12:00:00.000Z',
  data: { consentRequestId: 'c1', status: 'accepted', tenantOrg: '313876144' },
};

async function setup(
  delivery: { status?: DeliveryStatus; attempts?: number } = {},
  endpoint: { failingSince?: Date | null; enabled?: boolean } = {},
) {
  const db = new FakeDataSource();
  const repository = new FakeWebhookRepositories(db);
  const events = new FakeEventsRepository(db);
  const dns = new Map([['hooks.bank.example', ['93.184.215.14']]]);
  const box = new WebhookSecretBox(Buffer.alloc(32, 7));
  const slots = new FakeEndpointSlots();
  const receiver = new FakeReceiver();
  mockReceiver.current = receiver;
  const secret = formatSecret(randomBytes(32));
  await repository.insertEndpoint(TENANT, {
    id: ENDPOINT,
    url: 'https://hooks.bank.example/samtykke',
    eventTypes: [],
    secret: box.seal(ENDPOINT, secret),
  });
  repository.alterEndpoint(ENDPOINT, endpoint);
  repository.seedDelivery(TENANT, { id: DELIVERY, endpointId: ENDPOINT, payload: PAYLOAD, ...delivery });
  const service = new WebhookDeliveryService(
    db.asDataSource(),
    repository.asWebhookDeliveriesRepository(),
    events.asEventsRepository(),
    guardWithDns(dns),
    box,
    slots.asEndpointSlots(),
    OPTIONS,
  );
  const endpointNow = async () => (await repository.findEndpoint(TENANT, ENDPOINT))!;
  return { db, repository, events, dns, box, slots, receiver, secret, service, endpointNow };
}

beforeAll(() => Logger.overrideLogger(false));

describe('WebhookDeliveryService.deliver: what is sent', () => {
  it('signs the body with the endpoint secret (Standard Webhooks) and sends it to the address the guard resolved', async () => {
    const { service, receiver, secret } = await setup();
    await service.deliver(TENANT, DELIVERY);

    const [request] = receiver.received;
    expect(request.address).toBe('93.184.215.14');
    expect(request.url).toBe('https://hooks.bank.example/samtykke');
    expect(request.headers['webhook-id']).toBe(DELIVERY);
    expect(JSON.parse(request.body)).toEqual(PAYLOAD);
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(PAYLOAD);
  });

  it('signs with the previous secret as well while a rotation overlaps, and with the current one only after', async () => {
    const {
      service,
      repository,
      box,
      receiver,
      secret: previous,
    } = await setup({ status: 'failed', attempts: 1 });
    const current = formatSecret(randomBytes(32));
    await repository.rotateSecret(
      TENANT,
      ENDPOINT,
      box.seal(ENDPOINT, current),
      new Date(Date.now() + 60_000),
    );
    await service.deliver(TENANT, DELIVERY);

    const during = receiver.received[0];
    expect(new Webhook(current).verify(during.body, during.headers)).toEqual(PAYLOAD);
    expect(new Webhook(previous).verify(during.body, during.headers)).toEqual(PAYLOAD);

    repository.alterEndpoint(ENDPOINT, { previousSecretExpiresAt: new Date(Date.now() - 1) });
    repository.seedDelivery(TENANT, { id: DELIVERY, endpointId: ENDPOINT, payload: PAYLOAD });
    await service.deliver(TENANT, DELIVERY);

    const after = receiver.received[1];
    expect(new Webhook(current).verify(after.body, after.headers)).toEqual(PAYLOAD);
    expect(() => new Webhook(previous).verify(after.body, after.headers)).toThrow();
  });
});

describe('WebhookDeliveryService.deliver: outcomes', () => {
  it("succeeds on a 2xx after one attempt and ends the endpoint's failure streak", async () => {
    const { service, repository, endpointNow } = await setup(
      {},
      { failingSince: new Date(Date.now() - 60_000) },
    );
    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(repository.delivery(DELIVERY)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
    });
    expect((await endpointNow()).failingSince).toBeNull();
  });

  it('schedules a retry after a 5xx about 5 s later (±20 %), and marks the endpoint failing from now', async () => {
    const { service, repository, receiver, endpointNow } = await setup();
    receiver.answer = () => ({ kind: 'response', status: 503 });
    const before = Date.now();

    const step = await service.deliver(TENANT, DELIVERY);

    const after = Date.now();
    const delivery = repository.delivery(DELIVERY)!;
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
    });
    expect(step).toEqual({ kind: 'later', at: delivery.nextAttemptAt.getTime() });
    expect(delivery.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 4_000);
    expect(delivery.nextAttemptAt.getTime()).toBeLessThanOrEqual(after + 6_000);
    const failingSince = (await endpointNow()).failingSince!.getTime();
    expect(failingSince).toBeGreaterThanOrEqual(before);
    expect(failingSince).toBeLessThanOrEqual(after);
  });

  it("waits as long as the receiver's Retry-After asks when that is longer than the schedule", async () => {
    const { service, repository, receiver } = await setup();
    receiver.answer = () => ({ kind: 'response', status: 429, retryAfterMs: 120_000 });
    const before = Date.now();
    await service.deliver(TENANT, DELIVERY);
    expect(repository.delivery(DELIVERY)!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);
  });

  it('keeps the failing streak start of an endpoint that was already failing', async () => {
    const since = new Date(Date.now() - 3_600_000);
    const { service, receiver, endpointNow } = await setup({}, { failingSince: since });
    receiver.answer = () => ({ kind: 'error', message: 'ECONNRESET: socket hang up' });
    await service.deliver(TENANT, DELIVERY);
    expect((await endpointNow()).failingSince).toEqual(since);
  });

  it.each([
    [
      'a redirect as a failure, noting it is not followed',
      { kind: 'response', status: 302 } as const,
      'HTTP 302 (redirects are not followed)',
    ],
    [
      'a network error as a failure, with its message',
      { kind: 'error', message: 'ECONNREFUSED: connect refused' } as const,
      'ECONNREFUSED: connect refused',
    ],
  ])('records %s', async (_what, result, error) => {
    const { service, repository, receiver } = await setup();
    receiver.answer = () => result;
    await service.deliver(TENANT, DELIVERY);
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'failed', lastError: error });
  });

  it('gives up after the eighth attempt: the delivery is dead and not scheduled again', async () => {
    const { service, repository, receiver } = await setup({ status: 'failed', attempts: 7 });
    receiver.answer = () => ({ kind: 'response', status: 500 });
    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(repository.delivery(DELIVERY)).toMatchObject({
      status: 'dead',
      attempts: 8,
      lastError: 'HTTP 500',
    });
  });

  it('disables the endpoint on 410 Gone, ends its open deliveries and appends one webhook_endpoint.disabled event', async () => {
    const { service, repository, events, receiver, endpointNow } = await setup();
    const other = repository.seedDelivery(TENANT, {
      id: '0192f3a4-2222-7000-8000-000000000002',
      endpointId: ENDPOINT,
      payload: PAYLOAD,
      status: 'failed',
      attempts: 2,
    });
    receiver.answer = () => ({ kind: 'response', status: 410 });

    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });

    expect(await endpointNow()).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 410 });
    expect(repository.delivery(other.id)?.status).toBe('dead');
    expect(events.appended).toEqual([
      expect.objectContaining({
        tenantId: TENANT,
        type: 'webhook_endpoint.disabled',
        data: expect.objectContaining({ endpointId: ENDPOINT, reason: 'gone' }),
      }),
    ]);
  });

  it('disables an endpoint that has been failing for the whole disable window', async () => {
    const since = new Date(Date.now() - DISABLE_AFTER_MS - 1_000);
    const { service, events, receiver, endpointNow } = await setup(
      { status: 'failed', attempts: 3 },
      { failingSince: since },
    );
    receiver.answer = () => ({ kind: 'response', status: 500 });
    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(await endpointNow()).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(events.appended.map((event) => event.data?.reason)).toEqual(['failing']);
  });

  it('leaves delivery and endpoint as they were when the disabling cannot be written', async () => {
    const { service, repository, events, receiver, endpointNow } = await setup();
    receiver.answer = () => ({ kind: 'response', status: 410 });
    events.failNextAppend = new Error('connection terminated');

    await expect(service.deliver(TENANT, DELIVERY)).rejects.toThrow('connection terminated');

    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await endpointNow()).toMatchObject({ enabled: true, disabledReason: null });
    expect(events.appended).toEqual([]);
  });

  it('lets a retry requested while the attempt ran win: nothing is recorded and the job runs again now', async () => {
    const { service, repository, receiver } = await setup({ status: 'failed', attempts: 2 });
    receiver.answer = async () => {
      await repository.requeue(TENANT, ENDPOINT, { deliveryId: DELIVERY });
      return { kind: 'response', status: 500 };
    };
    const before = Date.now();

    const step = await service.deliver(TENANT, DELIVERY);

    expect(step.kind).toBe('later');
    expect(step.kind === 'later' && step.at <= Date.now() && step.at >= before).toBe(true);
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  });
});

describe('WebhookDeliveryService.deliver: what it does not send', () => {
  it('marks the delivery dead without sending when its endpoint is disabled', async () => {
    const { service, repository, receiver } = await setup({}, { enabled: false });
    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'dead', lastError: 'endpoint disabled' });
    expect(receiver.received).toEqual([]);
  });

  it.each(['succeeded', 'dead'] as const)('sends nothing for a delivery already %s', async (status) => {
    const { service, repository, receiver } = await setup({ status, attempts: 1 });
    expect(await service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(repository.delivery(DELIVERY)?.status).toBe(status);
    expect(receiver.received).toEqual([]);
  });

  it('sends nothing for a delivery of another tenant or one that does not exist', async () => {
    const { service, receiver } = await setup();
    expect(await service.deliver(TENANT_B.tenantId, DELIVERY)).toEqual({ kind: 'done' });
    expect(await service.deliver(TENANT, '0192f3a4-2222-7000-8000-00000000ffff')).toEqual({ kind: 'done' });
    expect(receiver.received).toEqual([]);
  });

  it('sends nothing when the host now resolves to a private address, and counts a failed attempt', async () => {
    const { service, repository, dns, receiver } = await setup();
    dns.set('hooks.bank.example', ['10.0.0.5']);
    const step = await service.deliver(TENANT, DELIVERY);
    expect(step.kind).toBe('later');
    expect(receiver.received).toEqual([]);
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(repository.delivery(DELIVERY)?.lastError).toMatch(/^refused: the URL /);
  });

  it("re-delays without sending while other workers hold all of the endpoint's places", async () => {
    const { service, repository, slots, receiver } = await setup();
    slots.occupy(ENDPOINT, OPTIONS.endpointConcurrency);
    const step = await service.deliver(TENANT, DELIVERY);
    expect(step.kind).toBe('later');
    expect(receiver.received).toEqual([]);
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('gives a failing endpoint one attempt at a time across the fleet, a healthy one its full share', async () => {
    const failing = await setup({}, { failingSince: new Date(Date.now() - 60_000) });
    failing.slots.occupy(ENDPOINT, 1);
    expect((await failing.service.deliver(TENANT, DELIVERY)).kind).toBe('later');
    expect(failing.receiver.received).toEqual([]);

    const healthy = await setup();
    healthy.slots.occupy(ENDPOINT, 1);
    expect(await healthy.service.deliver(TENANT, DELIVERY)).toEqual({ kind: 'done' });
    expect(healthy.receiver.received).toHaveLength(1);
  });

  it('gives its place back after the attempt, whatever the outcome', async () => {
    const { service, slots, receiver } = await setup();
    receiver.answer = () => ({ kind: 'response', status: 500 });
    await service.deliver(TENANT, DELIVERY);
    expect(slots.held.get(ENDPOINT)?.size ?? 0).toBe(0);
  });

  it('sends nothing once shutting down and leaves the delivery for after the restart', async () => {
    const { service, repository, receiver } = await setup();
    service.onModuleDestroy();
    expect((await service.deliver(TENANT, DELIVERY)).kind).toBe('later');
    expect(receiver.received).toEqual([]);
    expect(repository.delivery(DELIVERY)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
