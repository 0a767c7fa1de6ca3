/**
 * The stack for benchmarks as separate processes — simulator, worker and gateway — so the load generator
 * (the bench process) never shares their event loop. With `from: 'dist'` (every bench) each runs as
 * production does, `node dist/apps/<app>/src/main.js` from `npm run build`; with `from: 'source'` (the
 * default, for e2e tests that need no build) `node -r @swc-node/register apps/<app>/src/main.ts`. Fresh
 * database (migrations applied), its own Redis key prefix, free loopback ports, a shared token cache key
 * and admin key; `close()` stops the processes it started (by pid) and removes the database, the Redis
 * keys, the simulator's data dir and the logs. Each process logs to a file in a temp dir; the tail is
 * printed when a process fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isValidOrgNumber } from '@gw/identifiers';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { generateWrappedDataKey } from '@gw/personal-data';
import { deleteRedisKeys, freePort } from '@test/resources';
import { createBody, PROVIDER_ORG, READ, TENANT_A, WRITE } from '@test/seed';
import { CountingClient } from './db';
import { memoryMiB } from './proc';

export { createBody, PERSON, PROVIDER_ORG, READ, TENANT_A, WRITE } from '@test/seed';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The seeded provider client and its signing key in the simulated KMS. */
export const CLIENT_ID = 'sgw-local-client';
export const KMS_KEY_ALIAS = 'alias/sgw-maskinporten';
/** The simulator's seeded key that wraps the gateway's personal-data keys. */
export const PERSONAL_DATA_KMS_KEY_ALIAS = 'alias/sgw-personal-data';
export const KMS_CREDENTIALS = { accessKeyId: 'AKIDSGWBENCH', secretAccessKey: 'bench-not-a-secret' };

const ROOT = join(__dirname, '..', '..', '..');

export type AppName = 'simulator' | 'worker' | 'gateway';

/** The V8 memory flags the Docker image runs the apps with (its `ENV NODE_OPTIONS` line). */
export const IMAGE_NODE_OPTIONS = (() => {
  const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!line) throw new Error('Dockerfile: no ENV NODE_OPTIONS="…" line to start the apps with');
  return line[1];
})();

/** How benches run the apps: the compiled build, unless BENCH_FROM_SOURCE=1 (quicker while editing). */
export const BENCH_APPS_FROM: 'dist' | 'source' = process.env.BENCH_FROM_SOURCE === '1' ? 'source' : 'dist';

export interface SimStats {
  maskinporten: { token: number };
  altinn: { create: number; get: number; events: number };
  kms: Record<string, number | undefined>;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface StackOptions {
  /** Which processes to run; default all three. Without the simulator, upstream URLs point nowhere. */
  apps?: AppName[];
  /** The compiled build (`npm run build`) or the TypeScript sources; default the sources. */
  from?: 'dist' | 'source';
  /** NODE_ENV of every app; default BENCH_NODE_ENV or production. */
  nodeEnv?: string;
  workerEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  simulatorEnv?: Record<string, string>;
}

/** `count` valid org numbers: the seeded tenant first, then from 810000000 up (never the provider's). */
export function tenantOrgs(count: number): string[] {
  const orgs = [TENANT_A];
  for (let candidate = 810_000_000; orgs.length < count; candidate += 1) {
    const org = String(candidate);
    if (org !== PROVIDER_ORG && isValidOrgNumber(org)) orgs.push(org);
  }
  return orgs.slice(0, count);
}

/** Runs `total` tasks with at most `concurrency` in flight; task i gets index i. */
export async function pool(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Upstream calls between two `/_sim/stats` snapshots. */
export function statsDelta(before: SimStats, after: SimStats) {
  return {
    altinnCreate: after.altinn.create - before.altinn.create,
    altinnGet: after.altinn.get - before.altinn.get,
    altinnEvents: after.altinn.events - before.altinn.events,
    maskinportenToken: after.maskinporten.token - before.maskinporten.token,
    kmsSign: (after.kms.Sign ?? 0) - (before.kms.Sign ?? 0),
    kmsGetPublicKey: (after.kms.GetPublicKey ?? 0) - (before.kms.GetPublicKey ?? 0),
  };
}
export type UpstreamCalls = ReturnType<typeof statsDelta>;

interface RunningApp {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every child this process started, so an abrupt exit of the bench still stops them. */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export class ProcessStack {
  readonly queuePrefix = `sgw-bench-${randomUUID()}`;
  readonly adminKey = `sgw_bench_admin_${randomBytes(24).toString('base64url')}`;
  readonly tokenCacheKey = randomBytes(32).toString('base64');
  readonly webhookKey = randomBytes(32).toString('base64');
  nodeEnv = process.env.BENCH_NODE_ENV ?? 'production';
  readonly logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  from: 'dist' | 'source' = 'source';
  database!: TestDatabase;
  /** The bench's own connection to the stack's database (reads only; the cost meter discounts them). */
  db!: CountingClient;
  simulatorUrl = '';
  gatewayUrl = '';
  /** The gateway's management listener: admin API, bull-board, /metrics. */
  adminUrl = '';
  workerUrl = '';
  /** Logs and the simulator's data; removed by `close()`. */
  readonly dir = mkdtempSync(join(tmpdir(), 'sgw-bench-'));
  private readonly apps = new Map<string, RunningApp>();
  private closing = false;
  private readonly stopping = new Set<string>();

  async start(options: StackOptions = {}): Promise<this> {
    const wanted = new Set(options.apps ?? ['simulator', 'worker', 'gateway']);
    this.from = options.from ?? 'source';
    this.nodeEnv = options.nodeEnv ?? this.nodeEnv;
    // In production mode gateway and worker unwrap their personal-data key through KMS at start: the
    // simulator stands in for it even when no upstream call is measured.
    if (this.nodeEnv === 'production' && (wanted.has('gateway') || wanted.has('worker')))
      wanted.add('simulator');
    this.database = await createTestDatabase();
    // Migrations are applied; the bench reads through one plain connection of its own.
    await this.database.dataSource.destroy();
    this.db = await new CountingClient(this.database.url).connect();
    const [simulatorPort, gatewayPort, workerPort, managementPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    this.simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    this.gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    this.adminUrl = `http://127.0.0.1:${managementPort}`;
    this.workerUrl = `http://127.0.0.1:${workerPort}`;
    const common = {
      NODE_ENV: this.nodeEnv,
      LOG_LEVEL: this.logLevel,
      // A production-mode stack on one machine: the simulator on loopback http stands in for the upstreams.
      SGW_ALLOW_LOCAL_UPSTREAMS: 'true',
    };
    const upstream = {
      MASKINPORTEN_ISSUER: `${this.simulatorUrl}/`,
      MASKINPORTEN_CLIENT_ID: CLIENT_ID,
      PROVIDER_ORG_NUMBER: PROVIDER_ORG,
      TOKEN_CACHE_ENCRYPTION_KEY: this.tokenCacheKey,
      WEBHOOK_SECRET_ENCRYPTION_KEY: this.webhookKey,
    };
    const storage = { DATABASE_URL: this.database.url, REDIS_URL, QUEUE_PREFIX: this.queuePrefix };

    if (wanted.has('simulator')) {
      this.spawnApp('simulator', {
        ...common,
        SIMULATOR_PORT: String(simulatorPort),
        SIMULATOR_HOST: '127.0.0.1',
        SIMULATOR_DATA_DIR: join(this.dir, 'sim-data'),
        SIMULATOR_FEED_LAG_SECONDS: '0',
        ...options.simulatorEnv,
      });
      await this.waitReady('simulator', `${this.simulatorUrl}/_sim/info`);
    }
    // Production refuses plain personal-data keys: wrap one with the simulated KMS, as an operator would.
    const kms = {
      KMS_ENDPOINT: this.simulatorUrl,
      KMS_ACCESS_KEY_ID: KMS_CREDENTIALS.accessKeyId,
      KMS_SECRET_ACCESS_KEY: KMS_CREDENTIALS.secretAccessKey,
    };
    const personalData =
      this.nodeEnv === 'production'
        ? {
            ...kms,
            PERSONAL_DATA_WRAPPED_KEYS: await generateWrappedDataKey('bench', {
              region: 'eu-north-1',
              endpoint: this.simulatorUrl,
              credentials: KMS_CREDENTIALS,
              wrappingKeyId: PERSONAL_DATA_KMS_KEY_ALIAS,
            }),
          }
        : {};
    if (wanted.has('worker')) {
      this.spawnApp('worker', {
        ...common,
        ...storage,
        ...upstream,
        WORKER_HEALTH_PORT: String(workerPort),
        ...personalData,
        ALTINN_BASE_URL: this.simulatorUrl,
        SIGNER: 'kms',
        ...kms,
        KMS_KEY_ID: KMS_KEY_ALIAS,
        ...options.workerEnv,
      });
    }
    if (wanted.has('gateway')) {
      this.spawnApp('gateway', {
        ...common,
        ...storage,
        ...upstream,
        ...personalData,
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        MANAGEMENT_PORT: String(managementPort),
        MANAGEMENT_HOST: '127.0.0.1',
        ADMIN_API_KEY: this.adminKey,
        // The benches measure throughput, not the per-tenant limit (which would answer 429 above 100/s).
        RATE_LIMIT_PER_SECOND: '0',
        ...options.gatewayEnv,
      });
    }
    await Promise.all([
      wanted.has('worker') ? this.waitReady('worker', `${this.workerUrl}/health/ready`) : undefined,
      wanted.has('gateway') ? this.waitReady('gateway', `${this.gatewayUrl}/health/ready`) : undefined,
    ]);
    return this;
  }

  /** The database's name, as pg_stat_database knows it. */
  get databaseName(): string {
    return decodeURIComponent(new URL(this.database.url).pathname.slice(1));
  }

  pid(name: string): number {
    const pid = this.apps.get(name)?.child.pid;
    if (pid === undefined) throw new Error(`${name} is not running`);
    return pid;
  }

  has(name: string): boolean {
    return this.apps.has(name);
  }

  /** Resident memory of one of the stack's processes, from /proc (Linux): now and peak, in MiB. */
  memory(name: string): { rssMiB: number; peakRssMiB: number } {
    return memoryMiB(this.pid(name));
  }

  /**
   * Starts `node <args>` beside the apps, with the bench's plain environment plus `env`, and waits until
   * `readyUrl` answers 2xx.
   */
  async startProcess(name: string, args: string[], env: Record<string, string>, readyUrl: string) {
    this.spawn(name, args, env);
    await this.waitReady(name, readyUrl);
  }

  /** Stops one process started by this stack and waits for it to exit. */
  async stopProcess(name: string): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    this.stopping.add(name);
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
    const forced = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
    await app.exited;
    clearTimeout(forced);
    this.apps.delete(name);
  }

  /** The simulator's control API; fails loudly on a non-2xx answer. */
  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.simulatorUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  stats(): Promise<SimStats> {
    return this.control<SimStats>('GET', '/_sim/stats');
  }

  /** A gateway call; `key` undefined = the admin key, null = none. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer<T>> {
    const key = options.key === undefined ? this.adminKey : options.key;
    const headers: Record<string, string> = { ...options.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    // The admin API and /metrics live on the management listener.
    const base = /^\/(admin\/|metrics\b)/.test(path) ? this.adminUrl : this.gatewayUrl;
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /**
   * Lets `orgNumber` delegate the consent scopes to the provider at the simulator (when it runs), then
   * onboards it at the gateway and issues it an API key.
   */
  async onboard(
    orgNumber: string,
    name = `Bench bank ${orgNumber}`,
  ): Promise<{ tenantId: string; key: string }> {
    if (this.apps.has('simulator')) {
      await this.control('POST', '/_sim/delegations', {
        consumerOrg: orgNumber,
        supplierOrg: PROVIDER_ORG,
        scopes: [WRITE, READ],
      });
    }
    const created = await this.request<{ id: string }>('POST', '/admin/v1/tenants', {
      body: { orgNumber, name, scopes: [WRITE, READ] },
    });
    if (created.status !== 201) {
      throw new Error(`onboarding ${orgNumber}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const issued = await this.request<{ key: string }>(
      'POST',
      `/admin/v1/tenants/${created.body.id}/api-keys`,
      {
        body: { name: 'bench' },
      },
    );
    if (issued.status !== 201) {
      throw new Error(`key for ${orgNumber}: ${issued.status} ${JSON.stringify(issued.body)}`);
    }
    return { tenantId: created.body.id, key: issued.body.key };
  }

  async close(): Promise<void> {
    this.closing = true;
    const running = [...this.apps.values()].reverse();
    for (const app of running) {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
    }
    await Promise.all(
      running.map(async (app) => {
        const forced = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
        await app.exited;
        clearTimeout(forced);
      }),
    );
    await this.db?.end();
    await this.database?.drop();
    await deleteRedisKeys(this.queuePrefix, REDIS_URL);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawnApp(name: AppName, env: Record<string, string>): void {
    if (this.from === 'source') {
      this.spawn(name, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], env);
      return;
    }
    const main = join('dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(join(ROOT, main))) {
      throw new Error(`${main} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
    }
    // BENCH_CPU_PROF_DIR=<dir>: each app writes a V8 CPU profile to <dir>/<app> when it exits.
    const profileDir = process.env.BENCH_CPU_PROF_DIR;
    const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : [];
    this.spawn(name, [...profiling, main], { NODE_OPTIONS: IMAGE_NODE_OPTIONS, ...env });
  }

  private spawn(name: string, args: string[], env: Record<string, string>): void {
    const logFile = join(this.dir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    // Only what the app needs from the bench's environment: PATH and the like, not its NODE_ENV or ports.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([variable]) =>
          !/^(NODE_ENV|PORT|HOST|LOG_LEVEL|DATABASE_URL|QUEUE_PREFIX|SIMULATOR_|KMS_|WORKER_)/.test(variable),
      ),
    );
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    started.add(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        started.delete(child);
        resolve({ code, signal });
      }),
    );
    void exited.then(({ code, signal }) => {
      if (this.closing || this.stopping.has(name)) return;
      console.error(
        `\n✖ ${name} exited (${signal ?? code}) during the bench; last log lines:\n${this.logTail(name)}`,
      );
    });
    this.apps.set(name, { name, child, logFile, exited });
  }

  logTail(name: string, lines = 40): string {
    const app = this.apps.get(name);
    if (!app) return '';
    try {
      return readFileSync(app.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async waitReady(name: string, url: string, timeoutMs = 90_000): Promise<void> {
    const app = this.apps.get(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (app && (app.child.exitCode !== null || app.child.signalCode !== null)) {
        throw new Error(`${name} exited before it was ready:\n${this.logTail(name)}`);
      }
      try {
        const response = await fetch(url);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`${name} not ready at ${url} within ${timeoutMs / 1000} s:\n${this.logTail(name)}`);
      }
      await sleep(200);
    }
  }
}

/**
 * The worker's status tracking pushed past the run (early GETs in 10 min, the feed hourly), so upstream
 * calls counted by a bench are those of what it measures.
 */
export const QUIET_TRACKING_WORKER_ENV = {
  CONSENT_EARLY_REFRESH_DELAYS_MS: '600000',
  CONSENT_FEED_INTERVAL_MS: '3600000',
} as const;

/** Runs a bench's main and exits with its outcome (children and timers must not keep the process alive). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Stops the stack on Ctrl-C as well (the `finally` of each bench does it otherwise). */
export function closeOnSignal(stack: ProcessStack): void {
  const stop = () => {
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export interface Creation {
  /** Per consent id: when its POST was sent, and when its `consent.created` event occurred (epoch ms). */
  postedAt: Map<string, number>;
  createdAt: Map<string, number>;
  failed: Set<string>;
  /** Epoch ms of the first POST. */
  startedAt: number;
  /** From the first POST until every POST was answered. */
  postingSeconds: number;
  /** From the first POST until the last consent was created. */
  wallSeconds: number;
  /** POST → created, sorted, ms. */
  latencies: number[];
}

/**
 * Sends `count` POSTs (`post` answers the new consent's id; `concurrency` in flight) and watches the `events`
 * table (of the stack's database, or `options.db`) until each consent is `consent.created` (or `consent.failed`) at Altinn. It reads
 * Postgres directly rather than the gateway's feed, so watching adds no work to the processes measured
 * (the meter takes its reads off the commit count). On a timeout, says how many are missing and how a few
 * of them stand, with the worker's last log lines.
 */
export async function createAndWatch(
  stack: ProcessStack,
  post: () => Promise<string>,
  count: number,
  concurrency: number,
  options: { timeoutMs?: number; pollMs?: number; workerName?: string; db?: CountingClient } = {},
): Promise<Creation> {
  const timeoutMs = options.timeoutMs ?? 150_000;
  const db = options.db ?? stack.db;
  const postedAt = new Map<string, number>();
  const createdAt = new Map<string, number>();
  const failed = new Set<string>();
  const startedAt = Date.now();
  let postingDone = false;
  let postingSeconds = NaN;
  const posting = pool(count, concurrency, async () => {
    const sentAt = Date.now();
    postedAt.set(await post(), sentAt);
  }).then(
    () => {
      postingSeconds = (Date.now() - startedAt) / 1000;
      postingDone = true;
      return undefined;
    },
    (error: unknown) => {
      postingDone = true;
      return error instanceof Error ? error : new Error(String(error));
    },
  );
  // Events of this run only; every row is read again each time, so a late commit of a lower id is not missed.
  const since = new Date(startedAt - 1000);
  const deadline = startedAt + timeoutMs;
  for (;;) {
    const rows = await db.query<{ id: string; type: string; at: Date }>(
      `SELECT consent_request_id::text AS id, type, occurred_at AS at FROM events
        WHERE type IN ('consent.created', 'consent.failed') AND occurred_at >= $1`,
      [since],
    );
    for (const row of rows) {
      if (row.type === 'consent.created') createdAt.set(row.id, row.at.getTime());
      else failed.add(row.id);
    }
    const settled = [...postedAt.keys()].filter((id) => createdAt.has(id) || failed.has(id)).length;
    if (postingDone && settled >= postedAt.size) break;
    if (Date.now() > deadline) {
      const missing = [...postedAt.keys()].filter((id) => !createdAt.has(id) && !failed.has(id));
      const samples = await db.query<{ id: string; status: string; upstream: unknown }>(
        'SELECT id::text, status, upstream FROM consent_requests WHERE id = ANY($1::uuid[])',
        [missing.slice(0, 3)],
      );
      throw new Error(
        `not all created within ${timeoutMs / 1000} s: posted ${postedAt.size}/${count}, created ` +
          `${createdAt.size}, failed ${failed.size}, missing ${missing.length}, e.g.\n  ` +
          `${samples.map((row) => `${row.id}: ${row.status} ${JSON.stringify(row.upstream)}`).join('\n  ')}\n` +
          `${options.workerName ?? 'worker'} log:\n${stack.logTail(options.workerName ?? 'worker', 20)}`,
      );
    }
    await sleep(options.pollMs ?? 200);
  }
  const postingError = await posting;
  if (postingError !== undefined) throw postingError;
  const ours = [...createdAt].filter(([id]) => postedAt.has(id));
  const latencies = ours.map(([id, at]) => at - (postedAt.get(id) ?? NaN)).sort((a, b) => a - b);
  return {
    postedAt,
    createdAt: new Map(ours),
    failed: new Set([...failed].filter((id) => postedAt.has(id))),
    startedAt,
    postingSeconds,
    wallSeconds: (Math.max(...ours.map(([, at]) => at)) - startedAt) / 1000,
    latencies,
  };
}

/** `count` consent requests POSTed to the gateway (202, `concurrency` in flight) until each is created. */
export function createThroughGateway(
  stack: ProcessStack,
  key: string,
  count: number,
  concurrency: number,
  timeoutMs = 150_000,
): Promise<Creation> {
  const body = createBody();
  return createAndWatch(
    stack,
    async () => {
      const answer = await stack.request<{ id: string }>('POST', '/v1/consent-requests', { key, body });
      if (answer.status !== 202) throw new Error(`POST: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.id;
    },
    count,
    concurrency,
    { timeoutMs },
  );
}
