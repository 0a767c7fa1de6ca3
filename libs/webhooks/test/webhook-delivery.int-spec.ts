import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { CONSENT_ENTITIES } from '@gw/consent';
import { EVENTS_ENTITIES, EventsRepository } from '@gw/events';
import { type JobPayloads } from '@gw/queue';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { asTenantId, TENANTS_ENTITIES } from '@gw/tenants';
import { parseAllowList } from '../src/domain/url-policy';
import { WebhookAddressGuard } from '../src/webhook-address-guard';
import { WebhookDeliveryQueue } from '../src/webhook-delivery.queue';
import { WebhookRelayService } from '../src/webhook-relay.service';
import { WebhookSecretBox } from '../src/webhook-secret-box';
import { postWebhook } from '../src/webhook-transport';
import { type WebhooksOptions } from '../src/webhooks.options';
import { WebhookDeliveriesRepository } from '../src/webhook-deliveries.repository';
import { WebhookEndpointsRepository } from '../src/webhook-endpoints.repository';
import { WebhookRelayRepository } from '../src/webhook-relay.repository';
import { WEBHOOKS_ENTITIES } from '../src/webhook-row.entity';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('webhook transport and SSRF guard (real sockets)', () => {
  let server: Server;
  let port: number;
  const seen: { host: string | undefined; path: string | undefined }[] = [];
  let answer: (path: string, response: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ host: request.headers.host, path: request.url });
      request.resume();
      request.on('end', () => answer(request.url ?? '', response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (url: string, timeoutMs = 2_000) =>
    postWebhook({ url: new URL(url), address: '127.0.0.1', family: 4, headers: {}, body: '{}', timeoutMs });

  it('connects to the checked address, never resolving the host again (DNS rebinding)', async () => {
    answer = (_path, response) => response.writeHead(204).end();
    const result = await send(`http://rebind.invalid:${port}/pinned`);
    expect(result).toEqual({ kind: 'response', status: 204 });
    expect(seen.at(-1)).toEqual({ host: `rebind.invalid:${port}`, path: '/pinned' });
  });

  it('does not follow a redirect', async () => {
    answer = (path, response) =>
      path === '/redirect'
        ? response.writeHead(307, { location: '/elsewhere' }).end()
        : response.writeHead(200).end();
    expect(await send(`http://127.0.0.1:${port}/redirect`)).toEqual({ kind: 'response', status: 307 });
    expect(seen.some((request) => request.path === '/elsewhere')).toBe(false);
  });

  it('reads Retry-After', async () => {
    answer = (_path, response) => response.writeHead(503, { 'retry-after': '7' }).end();
    expect(await send(`http://127.0.0.1:${port}/busy`)).toEqual({
      kind: 'response',
      status: 503,
      retryAfterMs: 7_000,
    });
  });

  it('cuts an attempt at its timeout', async () => {
    answer = () => undefined;
    expect(await send(`http://127.0.0.1:${port}/hang`, 200)).toEqual({
      kind: 'error',
      message: 'timed out after 200 ms',
    });
  });

  it('judges every resolution anew: a name that turns private is refused at the next attempt', async () => {
    const answers = [['93.184.215.14'], ['93.184.215.14', '127.0.0.1'], ['::ffff:10.0.0.5']];
    const guard = new WebhookAddressGuard({ allowHttp: false, allowList: [] }, () =>
      Promise.resolve(answers.shift() ?? []),
    );
    expect(await guard.check('https://hooks.bank.example/x')).toMatchObject({
      ok: true,
      address: '93.184.215.14',
    });
    expect(await guard.check('https://hooks.bank.example/x')).toEqual({
      ok: false,
      reason: 'resolves to a loopback address (127.0.0.1)',
    });
    expect(await guard.check('https://hooks.bank.example/x')).toEqual({
      ok: false,
      reason: 'resolves to a private address (::ffff:10.0.0.5)',
    });
  });

  it('refuses a name that does not resolve, and localhost through the real resolver', async () => {
    const guard = new WebhookAddressGuard({ allowHttp: false, allowList: [] });
    expect(await guard.check('https://does-not-exist.invalid/')).toMatchObject({ ok: false });
    expect(await guard.check('https://localhost/')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('loopback'),
    });
  });

  it('lets an allow-listed host:port through and nothing else on that host', async () => {
    const parsed = parseAllowList([`localhost:${port}`]);
    if (!parsed.ok) throw new Error('allow-list');
    const guard = new WebhookAddressGuard({ allowHttp: true, allowList: parsed.allowList });
    expect(await guard.check(`http://localhost:${port}/`)).toMatchObject({ ok: true });
    expect(await guard.check(`http://localhost:${port + 1}/`)).toMatchObject({ ok: false });
  });
});

describe('WebhookSecretBox', () => {
  it('opens what it sealed for the same endpoint only', () => {
    const box = new WebhookSecretBox(Buffer.alloc(32, 9));
    const sealed = box.seal('endpoint-a', 'whsec_abc');
    expect(sealed.toString('utf8')).not.toContain('whsec_abc');
    expect(box.open('endpoint-a', sealed)).toBe('whsec_abc');
    expect(() => box.open('endpoint-b', sealed)).toThrow();
    expect(() => new WebhookSecretBox(Buffer.alloc(32, 8)).open('endpoint-a', sealed)).toThrow();
  });
});

describe('outbox relay (real Postgres and Redis)', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  let database: TestDatabase;
  let deliveryQueue: Queue<JobPayloads['webhook-delivery']>;
  let relayQueue: Queue<JobPayloads['webhook-relay']>;
  let endpointsRepository: WebhookEndpointsRepository;
  let deliveriesRepository: WebhookDeliveriesRepository;
  let events: EventsRepository;
  const options: WebhooksOptions = {
    allowHttp: true,
    allowedHosts: [],
    timeoutMs: 1_000,
    retryScale: 1,
    endpointConcurrency: 2,
    relayIntervalMs: 60_000,
  };
  const relay = () =>
    new WebhookRelayService(
      database.dataSource,
      events,
      new WebhookRelayRepository(database.dataSource),
      new WebhookDeliveryQueue(deliveryQueue),
      relayQueue,
      options,
    );

  beforeAll(async () => {
    // The webhook entities name the tenant, event and consent entities in their foreign keys.
    database = await createTestDatabase({
      entities: [...TENANTS_ENTITIES, ...CONSENT_ENTITIES, ...EVENTS_ENTITIES, ...WEBHOOKS_ENTITIES],
    });
    const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
    deliveryQueue = new Queue('webhook-delivery', { connection, prefix });
    relayQueue = new Queue('webhook-relay', { connection, prefix });
    endpointsRepository = new WebhookEndpointsRepository(database.dataSource);
    deliveriesRepository = new WebhookDeliveriesRepository(database.dataSource);
    events = new EventsRepository(database.dataSource);
  });
  afterAll(async () => {
    await deliveryQueue.close();
    await relayQueue.close();
    await database.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  async function tenant(org: string) {
    const id = asTenantId(randomUUID());
    await database.dataSource.query('INSERT INTO tenants (id, org_number, name) VALUES ($1, $2, $3)', [
      id,
      org,
      org,
    ]);
    return id;
  }

  it('creates one delivery and one job per (event, matching endpoint), however many relays run', async () => {
    const a = await tenant('313876144');
    const b = await tenant('974760673');
    const secret = Buffer.alloc(60);
    const all = await endpointsRepository.insertEndpoint(a, {
      id: randomUUID(),
      url: 'https://a.example/1',
      eventTypes: [],
      secret,
    });
    const onlyRejected = await endpointsRepository.insertEndpoint(a, {
      id: randomUUID(),
      url: 'https://a.example/2',
      eventTypes: ['consent.rejected'],
      secret,
    });
    const other = await endpointsRepository.insertEndpoint(b, {
      id: randomUUID(),
      url: 'https://b.example/',
      eventTypes: [],
      secret,
    });
    await endpointsRepository.updateEndpoint(b, other.id, { enabled: false });
    await database.dataSource.transaction(async (manager) => {
      await events.append(manager, {
        tenantId: a,
        type: 'delegation.verified',
        data: { status: 'verified' },
      });
      await events.append(manager, { tenantId: a, type: 'delegation.failed', data: { status: 'failed' } });
      await events.append(manager, {
        tenantId: b,
        type: 'delegation.verified',
        data: { status: 'verified' },
      });
    });

    const runs = await Promise.all([relay().relay(), relay().relay(), relay().relay()]);
    expect(runs.reduce((sum, run) => sum + run.deliveries, 0)).toBe(2);
    expect(await relay().relay()).toMatchObject({ events: 0, deliveries: 0 });

    const rows = await database.dataSource.query<{ id: string; endpoint_id: string; event_type: string }[]>(
      'SELECT id, endpoint_id, event_type FROM webhook_deliveries ORDER BY event_id',
    );
    expect(rows.map((row) => [row.endpoint_id, row.event_type])).toEqual([
      [all.id, 'delegation.verified'],
      [all.id, 'delegation.failed'],
    ]);
    expect(rows.some((row) => row.endpoint_id === onlyRejected.id)).toBe(false);
    for (const row of rows) {
      const job = await deliveryQueue.getJob(row.id);
      expect(job?.data).toEqual({ tenantId: a, deliveryId: row.id });
    }
    expect(await deliveryQueue.count()).toBe(2);
  });

  it('lets a retry requested during an attempt win over that attempt’s result', async () => {
    const tenantId = await tenant('310149942');
    const endpoint = await endpointsRepository.insertEndpoint(tenantId, {
      id: randomUUID(),
      url: 'https://c.example/',
      eventTypes: [],
      secret: Buffer.alloc(60),
    });
    await database.dataSource.transaction((manager) =>
      events.append(manager, { tenantId, type: 'delegation.verified', data: { status: 'verified' } }),
    );
    await relay().relay();
    const [{ id }] = await database.dataSource.query<{ id: string }[]>(
      'SELECT id FROM webhook_deliveries WHERE endpoint_id = $1',
      [endpoint.id],
    );
    // An attempt read the row (pending, 0 attempts) and failed; before it recorded that, a retry reset the row…
    const seen = { id, endpointId: endpoint.id, attempts: 0, status: 'pending' as const };
    await deliveriesRepository.recordAttempt(tenantId, seen, {
      status: 'failed',
      attempts: 1,
      nextAttemptAt: new Date(Date.now() + 300_000),
      statusCode: 500,
      error: 'HTTP 500',
      failingSince: new Date(),
    });
    const [requeued] = await endpointsRepository.requeue(tenantId, endpoint.id, { deliveryId: id });
    expect(requeued).toMatchObject({ status: 'pending', attempts: 0 });
    // …so the next stale result (read when the row said failed, 1 attempt) must not overwrite the reset.
    const recorded = await deliveriesRepository.recordAttempt(
      tenantId,
      { id, endpointId: endpoint.id, attempts: 1, status: 'failed' },
      {
        status: 'failed',
        attempts: 2,
        nextAttemptAt: new Date(),
        statusCode: 500,
        error: 'HTTP 500',
        failingSince: null,
      },
    );
    expect(recorded).toBe(false);
    const [row] = await database.dataSource.query<{ status: string; attempts: number }[]>(
      'SELECT status, attempts FROM webhook_deliveries WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'pending', attempts: 0 });
  });
});
