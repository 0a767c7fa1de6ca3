import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { gatewayConfigSchema, loadConfig } from '@gw/config';
import { runPendingMigrations } from '@gw/persistence';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { startGateway, type RunningGateway } from '../../../apps/gateway/src/gateway.bootstrap';
import { type ReceivedWebhook, WebhookReceiver } from '../../../apps/gateway/test/webhook-receiver';
import { ConsentLoad } from './consent-load';
import { GatewayProcess, TempPostgres, TempRedis, WorkerProcess } from './processes';
import { PROVIDER_ORG } from '@test/seed';

const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';
const ADMIN_KEY = `fault-admin-${randomUUID()}`;

/** Three tenants; the first two have a webhook endpoint (all event types) on the local receiver. */
const TENANTS = [
  { orgNumber: '313876144', name: 'Sparebank Super', webhooks: true },
  { orgNumber: '974760673', name: 'Sparebank Annen', webhooks: true },
  { orgNumber: '923456783', name: 'Sparebank Tredje', webhooks: false },
];

/**
 * A received webhook's payload once its signature checks out, verified as the receiver did on arrival:
 * standardwebhooks' `verify` measures its 5-minute window from now, and a fault run lasts longer.
 */
export function verifiedPayload(secret: string, webhook: ReceivedWebhook): { id: string; type: string } {
  const id = webhook.headers['webhook-id'];
  const timestamp = Number(webhook.headers['webhook-timestamp']);
  if (!(Math.abs(webhook.receivedAt / 1000 - timestamp) <= 300))
    throw new Error(`webhook ${id}: its timestamp is not within 5 minutes of its arrival`);
  const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), webhook.body).split(',')[1];
  const passed = (webhook.headers['webhook-signature'] ?? '').split(' ').map((entry) => entry.split(',')[1]);
  if (!passed.includes(expected)) throw new Error(`webhook ${id}: its signature does not verify`);
  return JSON.parse(webhook.body) as { id: string; type: string };
}

/** Consent event types the webhook relay pushes (consent.pending is the tenant's own 202). */
const PUSHED = new Set(['consent.created', 'consent.accepted', 'consent.failed']);

export interface FaultTenant {
  orgNumber: string;
  tenantId: string;
  key: string;
  endpoint?: { id: string; secret: string; path: string };
}

export interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  consentRequestId: string | null;
}

export interface FaultReport {
  scenario: string;
  posted: number;
  accepted2xx: number;
  refused: Record<string, number>;
  consents: number;
  acceptedByPerson: number;
  altinnCreateCalls: number;
  maskinportenTokenCalls: number;
  webhooksReceived: number;
  webhookEventsExpected: number;
  settleSeconds: number;
}

/**
 * The stack for one fault scenario, isolated from everything else on the machine: its own redis-server
 * (AOF on) and Postgres cluster (so both can be restarted), the simulator and the gateway in the test
 * process, and the worker as a separate OS process that can be killed with SIGKILL.
 */
export class FaultStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'sgw-fault-'));
  readonly redis = new TempRedis();
  readonly postgres = new TempPostgres();
  readonly receiver = new WebhookReceiver();
  readonly queuePrefix = `sgw-fault-${randomUUID().slice(0, 8)}`;
  readonly tenants: FaultTenant[] = [];
  sim!: TestSimulator;
  /** The in-process gateway (unless the stack runs gateway processes). */
  gateway?: RunningGateway;
  readonly gatewayProcesses: GatewayProcess[] = [];
  /** Every gateway's public listener, and the management listener the admin calls go to. */
  gatewayUrls: string[] = [];
  adminUrl = '';
  databaseUrl = '';
  worker!: WorkerProcess;
  load!: ConsentLoad;
  /** Every 4th consent the gateway accepted is accepted by its person in Altinn, to exercise tracking. */
  readonly toAccept = new Set<string>();
  /** Every worker process started, dead ones included. */
  readonly workers: WorkerProcess[] = [];
  /** Consents the person has accepted at Altinn: not asked about again. */
  private readonly acceptedAtAltinn = new Set<string>();
  private readonly shared: Record<string, string> = {
    TOKEN_CACHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOW_HTTP: 'true',
  };
  private readonly queues = new Map<string, Queue>();
  private accepter?: Promise<void>;
  private accepting = false;

  /**
   * `gateways`: that many gateway OS processes instead of one gateway in the test process;
   * `workerEnv`: variables every worker gets besides the stack's own.
   */
  constructor(
    readonly scenario: string,
    private readonly replicas: { gateways?: number; workerEnv?: Record<string, string> } = {},
  ) {}

  async start(): Promise<this> {
    await this.redis.start();
    await this.postgres.start();
    this.databaseUrl = await this.postgres.createDatabase('sgw_fault');
    await runPendingMigrations(this.databaseUrl);
    await this.receiver.start();
    this.shared.WEBHOOK_ALLOWED_HOSTS = `127.0.0.1:${this.receiver.port}`;
    this.sim = await startTestSimulator();
    this.shared.MASKINPORTEN_ISSUER = this.sim.issuer;
    this.shared.MASKINPORTEN_CLIENT_ID = 'sgw-local-client';
    this.shared.PROVIDER_ORG_NUMBER = PROVIDER_ORG;
    const gatewayEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: this.queuePrefix,
      ADMIN_API_KEY: ADMIN_KEY,
      ...this.shared,
    };
    if (this.replicas.gateways) {
      const started = await Promise.all(
        Array.from({ length: this.replicas.gateways }, (_, index) =>
          new GatewayProcess(
            { ...gatewayEnv, LOG_LEVEL: 'warn' },
            join(this.dir, `gateway-${index + 1}.log`),
          ).start(),
        ),
      );
      this.gatewayProcesses.push(...started);
      this.gatewayUrls = this.gatewayProcesses.map((gateway) => gateway.url);
      this.adminUrl = this.gatewayProcesses[0].adminUrl;
    } else {
      const gateway = await startGateway(
        loadConfig(gatewayConfigSchema, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...gatewayEnv }),
      );
      this.gateway = gateway;
      this.gatewayUrls = [gateway.url];
      this.adminUrl = gateway.adminUrl;
    }
    for (const tenant of TENANTS) {
      await this.sim.control('POST', '/_sim/delegations', {
        consumerOrg: tenant.orgNumber,
        supplierOrg: PROVIDER_ORG,
        scopes: [WRITE, READ],
      });
      this.tenants.push(await this.onboard(tenant.orgNumber, tenant.name, tenant.webhooks));
    }
    await this.startWorker();
    this.load = new ConsentLoad(this.gatewayUrls, this.tenants);
    return this;
  }

  /** A new worker process on the same database, Redis and prefix, as after a crash or a deploy. */
  async startWorker(): Promise<WorkerProcess> {
    const worker = new WorkerProcess(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: this.redis.url,
        QUEUE_PREFIX: this.queuePrefix,
        ALTINN_BASE_URL: this.sim.baseUrl,
        SIGNER: 'kms',
        KMS_ENDPOINT: this.sim.baseUrl,
        KMS_ACCESS_KEY_ID: 'AKIDSGWFAULTS',
        KMS_SECRET_ACCESS_KEY: 'not-a-secret',
        KMS_KEY_ID: 'alias/sgw-maskinporten',
        // Production's upstream timeouts (10 s), so a 15 s stall is cut as it would be in production.
        CONSENT_EARLY_REFRESH_DELAYS_MS: '500,1000,2000',
        CONSENT_FEED_INTERVAL_MS: '1000',
        CONSENT_SWEEP_INTERVAL_MS: '5000',
        WEBHOOK_RETRY_SCALE: '0.01',
        WEBHOOK_TIMEOUT_MS: '5000',
        WEBHOOK_RELAY_INTERVAL_MS: '250',
        ...this.shared,
        ...this.replicas.workerEnv,
      },
      join(this.dir, `worker-${this.workers.length + 1}.log`),
    );
    this.workers.push(worker);
    this.worker = worker;
    await worker.start();
    return worker;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { key?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    // The admin API answers on the management listener only.
    const base = path.startsWith('/admin/') ? this.adminUrl : this.gatewayUrls[0];
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key ?? ADMIN_KEY}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Jobs of `queue` now being processed (held by a worker). */
  async activeJobs(queue: string): Promise<number> {
    let handle = this.queues.get(queue);
    if (!handle) {
      handle = new Queue(queue, {
        connection: { host: '127.0.0.1', port: this.redis.port, maxRetriesPerRequest: null },
        prefix: this.queuePrefix,
      });
      this.queues.set(queue, handle);
    }
    return handle.getActiveCount();
  }

  async waitForActiveJobs(queue: string, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const active = await this.activeJobs(queue);
      if (active > 0 || Date.now() > deadline) return active;
      await sleep(20);
    }
  }

  /**
   * Drops the workers' cached Maskinporten tokens (as if they had expired), so the next jobs must fetch
   * new ones from Maskinporten (and sign grants with KMS) while a fault is on.
   */
  async expireCachedTokens(): Promise<number> {
    const redis = new Redis(this.redis.url);
    try {
      let removed = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${this.queuePrefix}:maskinporten:token:*:value`,
          'COUNT',
          1000,
        );
        if (keys.length > 0) removed += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      return removed;
    } finally {
      redis.disconnect();
    }
  }

  async fault(spec: Record<string, unknown>): Promise<void> {
    await this.sim.control('PUT', '/_sim/faults', spec);
  }

  async clearFaults(): Promise<void> {
    await this.sim.control('DELETE', '/_sim/faults');
  }

  /** Starts the load and, beside it, the person accepting every 4th consent once Altinn has it. */
  startLoad(perSecond: number): void {
    this.load.start(perSecond);
    this.accepting = true;
    this.accepter = (async () => {
      while (this.accepting) {
        await this.acceptPending().catch(() => undefined);
        await sleep(500);
      }
    })();
  }

  async stopLoad(): Promise<void> {
    await this.load.stop();
    this.accepting = false;
    await this.accepter;
  }

  /**
   * Waits until the system has settled, then checks what the fault tests promise: 0 consents lost, 0 created
   * twice upstream, 0 events missing or duplicated, 0 webhook deliveries lost. Returns the figures.
   */
  async verifyNothingLost(): Promise<FaultReport> {
    const settleStarted = Date.now();
    const accepted = this.load.accepted;
    expect(accepted.length).toBeGreaterThan(0);
    accepted.forEach((post, index) => {
      if (index % 4 === 0) this.toAccept.add(post.id);
    });

    // 1. Every stored request leaves `pending` (created upstream, or failed with a reason).
    await this.waitFor('no consent left pending', 240_000, async () => {
      const rows = await this.query<{ n: string }>(
        `SELECT count(*) AS n FROM consent_requests WHERE status = 'pending'`,
      );
      return Number(rows[0].n) === 0;
    });
    // 2. The person accepts every 4th in Altinn; the gateway must notice each (early GETs or the feed).
    await this.waitFor('every consent the person accepted is accepted', 120_000, async () => {
      await this.acceptPending();
      const rows = await this.query<{ id: string; status: string }>(
        'SELECT id, status FROM consent_requests WHERE id = ANY($1::uuid[])',
        [[...this.toAccept]],
      );
      return rows.length === this.toAccept.size && rows.every((row) => row.status === 'accepted');
    });
    // 3. Every pushed event reaches the receiver (delivery retries and the relay's sweep included).
    await this.waitFor('every webhook delivered', 240_000, async () => {
      const missing = await this.undeliveredEvents();
      return missing.length === 0;
    });
    const settleSeconds = Math.round((Date.now() - settleStarted) / 1000);

    const problems: string[] = [];
    const rows = await this.query<{ id: string; tenant_id: string; status: string; view_uri: string | null }>(
      'SELECT id, tenant_id, status, view_uri FROM consent_requests',
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const tenantById = new Map(this.tenants.map((tenant) => [tenant.tenantId, tenant]));
    const { ConsentStore } = await import('../../../apps/simulator/src/core/consent-store');
    const simConsents = [...this.sim.app.get(ConsentStore).all()];
    const simById = new Map(simConsents.map((consent) => [consent.id, consent]));

    // 0 consents lost: every 2xx reached `created` (or later) and exists at Altinn with its tenant as `to`.
    for (const post of accepted) {
      const row = byId.get(post.id);
      if (!row) problems.push(`lost: ${post.id} answered ${post.status} but has no row`);
      else if (!['created', 'accepted'].includes(row.status))
        problems.push(`lost: ${post.id} is ${row.status}`);
      if (!simById.has(post.id))
        problems.push(`lost: ${post.id} answered ${post.status} but Altinn has no such consent`);
    }
    for (const row of rows) {
      const tenant = tenantById.get(row.tenant_id);
      const sim = simById.get(row.id);
      if (row.status === 'pending') problems.push(`stuck: ${row.id} is still pending`);
      if (row.status === 'failed')
        problems.push(`failed: ${row.id} (no scenario here should fail a consent)`);
      if (row.status !== 'failed' && !sim)
        problems.push(`lost: ${row.id} is ${row.status} but unknown to Altinn`);
      if (sim && tenant && sim.to !== `urn:altinn:organization:identifier-no:${tenant.orgNumber}`)
        problems.push(`wrong party: ${row.id} was created at Altinn for ${sim.to}`);
      if (sim && row.view_uri === null) problems.push(`no viewUri: ${row.id}`);
      if (sim && (sim.status === 'Accepted') !== (row.status === 'accepted'))
        problems.push(`status: ${row.id} is ${row.status} here, ${sim.status} at Altinn`);
    }
    // 0 created twice upstream: Altinn keeps one consent per id, so a second creation would be a second
    // id; every consent Altinn holds must be one of the gateway's rows, one for one.
    for (const consent of simConsents) {
      if (!byId.has(consent.id))
        problems.push(`created twice: Altinn holds ${consent.id}, unknown to the gateway`);
      const created = consent.events.filter((event) => event.eventType === 'Created').length;
      if (created !== 1)
        problems.push(`created twice: ${consent.id} has ${created} Created events at Altinn`);
    }

    // 0 events missing or duplicated: per consent, each type at most once; pending and created present.
    const feed = await this.allEvents();
    // A fresh full read of each tenant's feed has every event once, in order.
    for (const [tenant, events] of feed) {
      for (const [index, event] of events.entries()) {
        if (index > 0 && BigInt(event.id) <= BigInt(events[index - 1].id))
          problems.push(`feed order: ${tenant.orgNumber} has ${event.id} after ${events[index - 1].id}`);
      }
    }
    const types = new Map<string, string[]>();
    for (const event of feed.values()) {
      for (const item of event) {
        if (!item.consentRequestId) continue;
        types.set(item.consentRequestId, [...(types.get(item.consentRequestId) ?? []), item.type]);
      }
    }
    for (const row of rows) {
      const seen = types.get(row.id) ?? [];
      const counts = new Map<string, number>();
      for (const type of seen) counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const [type, n] of counts)
        if (n > 1) problems.push(`event duplicated: ${row.id} has ${type} ${n}×`);
      const expected = [
        'consent.pending',
        'consent.created',
        ...(row.status === 'accepted' ? ['consent.accepted'] : []),
      ];
      if (row.status === 'failed') expected.splice(1, 1, 'consent.failed');
      for (const type of expected)
        if (!counts.has(type)) problems.push(`event missing: ${row.id} has no ${type}`);
    }
    for (const id of this.toAccept) {
      if (byId.get(id)?.status !== 'accepted')
        problems.push(`tracking: ${id} was accepted by the person but is ${byId.get(id)?.status}`);
    }

    // 0 webhook deliveries lost: each pushed event of an endpoint's tenant arrived (verified), under one
    // webhook-id (receivers dedupe on it, so a second id for the same event would be a duplicate).
    for (const missing of await this.undeliveredEvents())
      problems.push(
        `webhook lost: event ${missing.event.id} (${missing.event.type}) never reached ${missing.tenant.orgNumber}`,
      );
    for (const [eventId, ids] of this.webhookIdsByEvent()) {
      if (ids.size > 1)
        problems.push(`webhook duplicated: event ${eventId} came under ${ids.size} webhook-ids`);
    }
    const dead = await this.query<{ id: string; last_error: string }>(
      `SELECT id, last_error FROM webhook_deliveries WHERE status = 'dead'`,
    );
    for (const delivery of dead) problems.push(`webhook dead: ${delivery.id} (${delivery.last_error})`);

    const stats = await this.sim.control<{ maskinporten: { token: number }; altinn: { create: number } }>(
      'GET',
      '/_sim/stats',
    );
    const report: FaultReport = {
      scenario: this.scenario,
      posted: this.load.sent,
      accepted2xx: accepted.length,
      refused: Object.fromEntries(this.load.refused),
      consents: rows.length,
      acceptedByPerson: this.toAccept.size,
      altinnCreateCalls: stats.altinn.create,
      maskinportenTokenCalls: stats.maskinporten.token,
      webhooksReceived: this.receiver.received.length,
      webhookEventsExpected: [...feed.entries()]
        .filter(([tenant]) => tenant.endpoint)
        .reduce((sum, [, events]) => sum + events.filter((event) => PUSHED.has(event.type)).length, 0),
      settleSeconds,
    };
    process.stdout.write(`[faults] ${JSON.stringify(report)}\n`);
    if (problems.length > 0)
      process.stdout.write(`[faults] ${this.scenario}: worker logs\n${this.workerLogs()}\n`);
    expect(problems.slice(0, 50)).toEqual([]);
    return report;
  }

  /** The tail of every worker's log (for a failing test's message). */
  workerLogs(lines = 40): string {
    return this.workers
      .map((worker) => {
        try {
          return `${worker.logFile}:\n${readFileSync(worker.logFile, 'utf8').split('\n').slice(-lines).join('\n')}`;
        } catch {
          return '';
        }
      })
      .join('\n');
  }

  async close(): Promise<void> {
    this.accepting = false;
    await this.load?.stop().catch(() => undefined);
    await this.accepter?.catch(() => undefined);
    for (const queue of this.queues.values()) await queue.close().catch(() => undefined);
    for (const worker of this.workers) await worker.kill9().catch(() => undefined);
    for (const gateway of this.gatewayProcesses) await gateway.kill9().catch(() => undefined);
    await this.gateway?.close().catch(() => undefined);
    await this.sim?.close().catch(() => undefined);
    await this.receiver.close().catch(() => undefined);
    await this.redis.stop().catch(() => undefined);
    await this.postgres.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async onboard(orgNumber: string, name: string, webhooks: boolean): Promise<FaultTenant> {
    const created = await this.request('POST', '/admin/v1/tenants', {
      body: { orgNumber, name, scopes: [WRITE, READ] },
    });
    if (created.status !== 201)
      throw new Error(`onboarding ${orgNumber}: ${created.status} ${JSON.stringify(created.body)}`);
    const issued = await this.request('POST', `/admin/v1/tenants/${created.body.id}/api-keys`, {
      body: { name: 'faults' },
    });
    if (issued.status !== 201) throw new Error(`key for ${orgNumber}: ${issued.status}`);
    const tenant: FaultTenant = { orgNumber, tenantId: created.body.id, key: issued.body.key };
    if (webhooks) {
      const path = `/hooks/${orgNumber}`;
      const endpoint = await this.request('POST', '/v1/webhook-endpoints', {
        key: tenant.key,
        body: { url: this.receiver.url(path), eventTypes: [] },
      });
      if (endpoint.status !== 201)
        throw new Error(`endpoint for ${orgNumber}: ${endpoint.status} ${JSON.stringify(endpoint.body)}`);
      tenant.endpoint = { id: endpoint.body.id, secret: endpoint.body.secret, path };
    }
    return tenant;
  }

  /** The person accepts, in Altinn, each consent picked for it that Altinn holds and that is still open. */
  private async acceptPending(): Promise<void> {
    this.load.accepted.forEach((post, index) => {
      if (index % 4 === 0) this.toAccept.add(post.id);
    });
    for (const id of this.toAccept) {
      if (this.acceptedAtAltinn.has(id)) continue;
      const response = await fetch(`${this.sim.baseUrl}/_sim/consents/${id}`);
      if (response.status !== 200) {
        await response.text();
        continue;
      }
      const consent = (await response.json()) as { status: string };
      if (consent.status === 'Created') await this.sim.control('POST', `/_sim/consents/${id}/accept`);
      if (consent.status !== 'Created') this.acceptedAtAltinn.add(id);
    }
  }

  /** A fresh read of every tenant's whole feed, following `next`. */
  async allEvents(): Promise<Map<FaultTenant, FeedEvent[]>> {
    const result = new Map<FaultTenant, FeedEvent[]>();
    for (const tenant of this.tenants) {
      const events: FeedEvent[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { status: number; body: { data: FeedEvent[]; next: string | null } } = await this.request(
          'GET',
          `/v1/events?limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`,
          { key: tenant.key },
        );
        if (page.status !== 200) throw new Error(`events of ${tenant.orgNumber}: ${page.status}`);
        events.push(...page.body.data);
        if (!page.body.next || page.body.data.length === 0) break;
        after = page.body.next;
      }
      result.set(tenant, events);
    }
    return result;
  }

  /** Pushed events of tenants with an endpoint that no verified webhook has carried yet. */
  private async undeliveredEvents(): Promise<{ tenant: FaultTenant; event: FeedEvent }[]> {
    const delivered = new Set<string>();
    for (const tenant of this.tenants) {
      if (!tenant.endpoint) continue;
      for (const webhook of this.receiver.on(tenant.endpoint.path)) {
        delivered.add(verifiedPayload(tenant.endpoint.secret, webhook).id);
      }
    }
    const missing: { tenant: FaultTenant; event: FeedEvent }[] = [];
    for (const [tenant, events] of await this.allEvents()) {
      if (!tenant.endpoint) continue;
      for (const event of events)
        if (PUSHED.has(event.type) && !delivered.has(event.id)) missing.push({ tenant, event });
    }
    return missing;
  }

  private webhookIdsByEvent(): Map<string, Set<string>> {
    const result = new Map<string, Set<string>>();
    for (const webhook of this.receiver.received) {
      const payload = JSON.parse(webhook.body) as { id: string; type: string };
      if (payload.type === 'webhook.test') continue;
      const key = `${webhook.path} ${payload.id}`;
      result.set(key, (result.get(key) ?? new Set()).add(webhook.headers['webhook-id']));
    }
    return result;
  }

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Polls until `done`; on time-out only notes it: the checks after it say in detail what is wrong. */
  private async waitFor(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await done().catch(() => false)) return;
      if (Date.now() > deadline) {
        process.stdout.write(`[faults] ${this.scenario}: ${what}: not within ${timeoutMs / 1000} s\n`);
        return;
      }
      await sleep(500);
    }
  }
}
