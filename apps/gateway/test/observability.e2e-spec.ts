import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueName } from '@gw/queue';
import { createBody, PERSON, ProcessStack, READ, TENANT_A } from '../../../test/bench/support/stack';
import { WebhookReceiver } from './webhook-receiver';

const OTHER_PERSON = '01025161013';

/** An admin key no pattern recognises: only the configured-secret redaction can mask it. */
class ObservedStack extends ProcessStack {
  override readonly adminKey = `ops-${randomBytes(24).toString('base64url')}`;
}

/** Every line a process wrote (the whole log file). */
function logLines(stack: ProcessStack, app: 'gateway' | 'worker'): string[] {
  return stack
    .logTail(app, Number.MAX_SAFE_INTEGER)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function parsed(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Value of one series in a Prometheus exposition, or undefined when it is absent. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const present = Object.fromEntries(
      [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

// The real processes (`node apps/<app>/src/main.ts`) at LOG_LEVEL=trace, their stdout captured: the whole
// consent flow and a webhook, then every line of the gateway's and the worker's log is searched.
describe('observability of the running stack', () => {
  const stack = new ObservedStack();
  const receiver = new WebhookReceiver();
  const requestId = `obs-${randomUUID()}`;
  const secrets: Record<string, string> = {};
  let tenantId: string;
  let key: string;
  let gatewayLog: string[];
  let workerLog: string[];

  beforeAll(async () => {
    await receiver.start();
    let deliveries = 0;
    receiver.answer('/hook', () => ({ status: (deliveries += 1) === 1 ? 500 : 200 }));
    const shared = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'trace',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}`,
    };
    await stack.start({
      gatewayEnv: shared,
      workerEnv: {
        ...shared,
        WEBHOOK_RETRY_SCALE: '0.001',
        WEBHOOK_RELAY_INTERVAL_MS: '100',
        CONSENT_EARLY_REFRESH_DELAYS_MS: '200,400,800',
      },
    });

    // Onboarding and an API key (admin key on the wire).
    ({ tenantId, key } = await stack.onboard(TENANT_A, 'Sparebank Super'));
    secrets.apiKey = key;
    secrets.adminKey = stack.adminKey;

    // A webhook endpoint; its first delivery fails, the retry succeeds.
    const endpoint = await stack.request<{ id: string; secret: string }>('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: receiver.url('/hook') },
    });
    expect(endpoint.status).toBe(201);
    secrets.webhookSecret = endpoint.body.secret;

    // Create (waiting for Altinn), accept at the simulator, refresh, consent token.
    const created = await stack.request<{ id: string; status: string }>('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=20', 'x-request-id': requestId },
    });
    expect([created.status, created.body.status]).toEqual([201, 'created']);
    const id = created.body.id;
    await stack.control('POST', `/_sim/consents/${id}/accept`);
    const refreshed = await stack.request<{ status: string }>(
      'GET',
      `/v1/consent-requests/${id}?refresh=true`,
      {
        key,
      },
    );
    expect(refreshed.body.status).toBe('accepted');
    const token = await stack.request<{ access_token: string }>('POST', `/v1/consent-requests/${id}/token`, {
      key,
      body: { scope: READ },
    });
    expect(token.status).toBe(200);
    secrets.accessToken = token.body.access_token;
    secrets.accessTokenSignature = token.body.access_token.split('.')[2];

    // Altinn failing for a moment: the second request is retried until it is created.
    await stack.control('PUT', '/_sim/faults', { upstream: 'altinn', status: 503, rate: 1, forSeconds: 1 });
    const retried = await stack.request<{ id: string }>('POST', '/v1/consent-requests', {
      key,
      body: createBody({}, OTHER_PERSON),
    });
    expect(retried.status).toBe(202);
    for (let status = ''; status !== 'created'; await sleep(100)) {
      status = (
        await stack.request<{ status: string }>('GET', `/v1/consent-requests/${retried.body.id}`, { key })
      ).body.status;
    }
    await stack.control('DELETE', '/_sim/faults');

    // Refused requests: a wrong key, a bad fødselsnummer (it must not reach the log either).
    expect((await stack.request('GET', '/v1/consent-requests', { key: `${key}x` })).status).toBe(401);
    const invalid = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody({}, '12345678901'),
    });
    expect(invalid.status).toBe(422);

    await receiver.waitFor((received) => received.filter((hook) => hook.path === '/hook').length >= 2);
    // Give the processes a moment to write the lines of the last jobs and requests.
    await sleep(500);
    gatewayLog = logLines(stack, 'gateway');
    workerLog = logLines(stack, 'worker');
  }, 180_000);

  afterAll(async () => {
    await stack.close();
    await receiver.close();
  }, 60_000);

  describe('logs', () => {
    const everyLine = () => [...gatewayLog, ...workerLog];

    it('writes JSON lines at trace level with the request id and the tenant', () => {
      expect(gatewayLog.length).toBeGreaterThan(50);
      expect(workerLog.length).toBeGreaterThan(20);
      const gateway = parsed(gatewayLog);
      expect(gateway.length).toBe(gatewayLog.length);
      expect(gateway.some((line) => line.level === 10)).toBe(true);
      const ofRequest = gateway.filter((line) => line.requestId === requestId);
      expect(ofRequest.length).toBeGreaterThan(1);
      expect(ofRequest.some((line) => line.tenantId === tenantId && line.msg === 'request completed')).toBe(
        true,
      );
    });

    it('writes worker lines with the queue, job id and tenant', () => {
      const creates = parsed(workerLog).filter(
        (line) => line.queue === QueueName.ConsentCreate && line.jobName === 'create',
      );
      expect(creates.length).toBeGreaterThan(0);
      expect(creates.every((line) => typeof line.jobId === 'string' && line.tenantId === tenantId)).toBe(
        true,
      );
      expect(creates.some((line) => line.msg === 'job finished' && line.outcome === 'completed')).toBe(true);
      expect(
        creates.some(
          (line) => line.level === 40 && String(line.msg).startsWith('job failed: Altinn answered 503'),
        ),
      ).toBe(true);
    });

    it.each([
      ['the person', PERSON],
      ['the other person', OTHER_PERSON],
      ['the refused identifier', '12345678901'],
    ])('never contains the fødselsnummer of %s', (_who, person) => {
      expect(everyLine().filter((line) => line.includes(person))).toEqual([]);
    });

    it('never contains an 11-digit run (UUIDs aside)', () => {
      const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
      expect(everyLine().filter((line) => /(?<!\d)\d{11}(?!\d)/.test(line.replace(uuid, '')))).toEqual([]);
    });

    it.each(['apiKey', 'adminKey', 'webhookSecret', 'accessToken', 'accessTokenSignature'])(
      'never contains the %s',
      (name) => {
        expect(secrets[name]).toBeDefined();
        expect(everyLine().filter((line) => line.includes(secrets[name]))).toEqual([]);
      },
    );

    it('never contains a JWT, an API key or a webhook secret of any kind', () => {
      expect(
        everyLine().filter((line) =>
          /eyJ[A-Za-z0-9_-]{8,}|sgw_[a-z0-9]+_[A-Za-z0-9]{8}|whsec_[A-Za-z0-9+/]/.test(line),
        ),
      ).toEqual([]);
    });

    it('masks where secrets were, so the lines still say what happened', () => {
      const masked = everyLine().filter((line) => line.includes('[REDACTED]'));
      expect(masked.some((line) => line.includes('"authorization":"[REDACTED]"'))).toBe(true);
      expect(masked.some((line) => line.includes('urn:altinn:person:identifier-no:[REDACTED]'))).toBe(true);
    });
  });

  describe('/metrics', () => {
    it('is served on the management listener without a key', async () => {
      const answer = await fetch(`${stack.adminUrl}/metrics`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain('text/plain');
      const text = await answer.text();
      expect(
        series(text, 'sgw_http_requests_total', {
          method: 'POST',
          route: '/v1/consent-requests',
          status: '201',
          service: 'sgw-gateway',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        series(text, 'sgw_http_request_duration_seconds_count', {
          method: 'GET',
          route: '/v1/consent-requests/:id',
          status: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(series(text, 'sgw_http_requests_total', { route: '/v1/consent-requests', status: '401' })).toBe(
        1,
      );
      for (const queue of Object.values(QueueName)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect([queue, state, series(text, 'sgw_queue_jobs', { queue, state })]).toEqual([
            queue,
            state,
            expect.any(Number),
          ]);
        }
      }
    });

    it("is served on the worker's health port with jobs, upstream calls, the token cache and webhooks", async () => {
      const text = await (await fetch(`${stack.workerUrl}/metrics`)).text();
      const upstream = (labels: Record<string, string>) => series(text, 'sgw_upstream_calls_total', labels);
      expect(
        series(text, 'sgw_job_duration_seconds_count', { queue: 'consent-create', outcome: 'completed' }),
      ).toBeGreaterThanOrEqual(2);
      expect(
        series(text, 'sgw_job_duration_seconds_count', { queue: 'consent-create', outcome: 'failed' }),
      ).toBeGreaterThanOrEqual(1);
      expect(series(text, 'sgw_job_wait_seconds_count', { queue: 'consent-create' })).toBeGreaterThanOrEqual(
        2,
      );
      expect(
        upstream({ upstream: 'maskinporten', operation: 'token', outcome: 'ok', status: '200' }),
      ).toBeGreaterThanOrEqual(2);
      expect(upstream({ upstream: 'kms', operation: 'sign', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
      expect(
        upstream({ upstream: 'altinn', operation: 'create', outcome: 'ok', status: '201' }),
      ).toBeGreaterThanOrEqual(2);
      expect(
        upstream({ upstream: 'altinn', operation: 'create', outcome: 'error', status: '503' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        series(text, 'sgw_upstream_errors_total', { upstream: 'altinn', operation: 'create' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        upstream({ upstream: 'altinn', operation: 'get', outcome: 'ok', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
      expect(series(text, 'sgw_token_cache_requests_total', { result: 'fetched' })).toBeGreaterThanOrEqual(2);
      expect(series(text, 'sgw_token_cache_requests_total', { result: 'cache' })).toBeGreaterThanOrEqual(1);
      expect(series(text, 'sgw_webhook_deliveries_total', { outcome: 'failed' })).toBeGreaterThanOrEqual(1);
      expect(series(text, 'sgw_webhook_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(
        1,
      );
      // Queue gauges come from the gateway only, so a sum over processes counts each queue once.
      expect(series(text, 'sgw_queue_jobs', { queue: 'webhook-delivery', state: 'waiting' })).toBeUndefined();
    });
  });

  describe('/admin/queues (bull-board)', () => {
    const board = (path: string, authorization?: string) =>
      fetch(`${stack.adminUrl}/admin/queues${path}`, {
        headers: authorization === undefined ? {} : { authorization },
      });

    it.each([
      ['no key', undefined],
      ['a wrong key', 'Bearer not-the-admin-key-0123456789'],
    ])('refuses %s with 401 and asks for credentials', async (_case, authorization) => {
      for (const path of ['', '/api/queues']) {
        const answer = await board(path, authorization);
        expect([path, answer.status]).toEqual([path, 401]);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.headers.get('www-authenticate')).toContain('Basic');
      }
    });

    it('refuses a tenant API key', async () => {
      expect((await board('', `Bearer ${key}`)).status).toBe(401);
    });

    it('shows every queue to the admin key, as a bearer token or as the Basic password', async () => {
      const page = await board('', `Bearer ${stack.adminKey}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const basic = `Basic ${Buffer.from(`operator:${stack.adminKey}`).toString('base64')}`;
      const api = await board('/api/queues', basic);
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: { name: string }[] };
      expect(queues.map((queue) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
    });
  });
});
