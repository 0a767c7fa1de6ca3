/**
 * The floor: the least work the job needs on this box, measured beside the gateway. Two plain processes on
 * a database of their own (migrated tables) next to a stack: `floor-server.ts` (one Fastify route: one
 * INSERT of the request and its event, one BullMQ add) and `floor-worker.ts` (one BullMQ worker: one row
 * read, one Altinn POST to the stack's simulator, one UPDATE with its event). What the gateway does beyond
 * that is its overhead. The intake and end-to-end benches measure the floor right before the gateway, so
 * the two figures see the same load on the machine.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { freePort } from '@test/resources';
import ts from 'typescript';
import { CostMeter, type CostReport } from './cost';
import { CountingClient } from './db';
import {
  INTAKE_DURATION_SECONDS,
  INTAKE_WARMUP_SECONDS,
  type IntakeFigures,
  intakeFigures,
  postConsents,
} from './load';
import {
  createAndWatch,
  createBody,
  percentile,
  type ProcessStack,
  PROVIDER_ORG,
  READ,
  REDIS_URL,
  round,
  TENANT_A,
  WRITE,
} from './stack';
import { fetchAccessToken, kmsSigner } from './upstream';

export const FLOOR_SERVER = 'floor-server';
export const FLOOR_WORKER = 'floor-worker';
const SOURCES = ['floor-server', 'floor-worker', 'floor-queue'];
const ROOT = join(__dirname, '..', '..', '..');

export type FloorIntake = IntakeFigures & { cost: CostReport };

export interface FloorEndToEnd {
  consents: number;
  created: number;
  failed: number;
  concurrency: number;
  wallSeconds: number;
  createdPerSecond: number;
  postToCreatedP50Ms: number;
  postToCreatedP99Ms: number;
  postToCreatedMaxMs: number;
  cost: CostReport;
}

export interface FloorOneAtATime {
  consents: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  cost: CostReport;
}

export class Floor {
  readonly tenantId = randomUUID();
  readonly tenantOrg = TENANT_A;
  serverUrl = '';
  private database?: TestDatabase;
  private db?: CountingClient;
  private readonly jsDir: string;
  private runs = 0;

  constructor(private readonly stack: ProcessStack) {
    this.jsDir = join(stack.dir, 'floor');
  }

  /**
   * Compiles the floor's processes to plain JavaScript, as the build does the apps (types stripped, no
   * loader hook at run time), and makes its database with the tenant row every floor consent belongs to.
   */
  async prepare(): Promise<this> {
    mkdirSync(this.jsDir, { recursive: true });
    for (const name of SOURCES) {
      const source = readFileSync(join(__dirname, `${name}.ts`), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      });
      writeFileSync(join(this.jsDir, `${name}.js`), outputText);
    }
    this.database = await createTestDatabase();
    await this.database.dataSource.destroy();
    this.db = await new CountingClient(this.database.url).connect();
    await this.db.query('INSERT INTO tenants (id, org_number, name) VALUES ($1, $2, $3)', [
      this.tenantId,
      this.tenantOrg,
      'Floor bank',
    ]);
    return this;
  }

  /** Intake alone (no worker; jobs queue up), with the intake bench's load, warm-up and duration. */
  async measureIntake(): Promise<FloorIntake> {
    await this.startServer(`intake-${(this.runs += 1)}`);
    try {
      await postConsents(this.serverUrl, INTAKE_WARMUP_SECONDS);
      const meter = this.meter([FLOOR_SERVER]);
      await meter.start();
      const figures = intakeFigures(await postConsents(this.serverUrl, INTAKE_DURATION_SECONDS));
      return { ...figures, cost: await meter.stop(figures.accepted) };
    } finally {
      await this.stack.stopProcess(FLOOR_SERVER);
    }
  }

  /**
   * `consents` POSTed with `concurrency` in flight until each is created at the stack's simulator, after a
   * warm-up; the worker holds one access token, fetched just before (tokens live 120 s).
   */
  async measureEndToEnd(consents: number, concurrency: number, warmup = 100): Promise<FloorEndToEnd> {
    const signer = await this.delegate();
    const queue = `e2e-${(this.runs += 1)}`;
    try {
      const token = await fetchAccessToken(this.stack, signer, this.tenantOrg, [WRITE]);
      await this.startServer(queue);
      await this.startWorker(queue, token);
      const watch = { workerName: FLOOR_WORKER, db: this.db };
      await createAndWatch(this.stack, () => this.post(), warmup, concurrency, watch);
      const meter = this.meter([FLOOR_SERVER, FLOOR_WORKER]);
      await meter.start();
      const run = await createAndWatch(this.stack, () => this.post(), consents, concurrency, watch);
      const cost = await meter.stop(run.createdAt.size);
      return {
        consents,
        created: run.createdAt.size,
        failed: run.failed.size,
        concurrency,
        wallSeconds: round(run.wallSeconds),
        createdPerSecond: Math.round(run.createdAt.size / run.wallSeconds),
        postToCreatedP50Ms: percentile(run.latencies, 50),
        postToCreatedP99Ms: percentile(run.latencies, 99),
        postToCreatedMaxMs: run.latencies[run.latencies.length - 1],
        cost,
      };
    } finally {
      signer.onModuleDestroy();
      await this.stack.stopProcess(FLOOR_WORKER);
      await this.stack.stopProcess(FLOOR_SERVER);
    }
  }

  /**
   * One client, one request at a time, `Prefer: wait` → 201 once the floor's worker created it at the
   * stack's simulator, after a warm-up: the latency no implementation of a waiting create can go below here.
   */
  async measureOneAtATime(consents: number, warmup: number): Promise<FloorOneAtATime> {
    const queue = `one-${(this.runs += 1)}`;
    const signer = await this.delegate();
    try {
      const token = await fetchAccessToken(this.stack, signer, this.tenantOrg, [WRITE]);
      await this.startServer(queue);
      await this.startWorker(queue, token);
      const createOne = async (): Promise<number> => {
        const sentAt = performance.now();
        const response = await fetch(`${this.serverUrl}/v1/consent-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', prefer: 'wait=10' },
          body: JSON.stringify(createBody()),
        });
        await response.text();
        if (response.status !== 201) throw new Error(`floor POST (wait): ${response.status}`);
        return performance.now() - sentAt;
      };
      for (let i = 0; i < warmup; i += 1) await createOne();
      const meter = this.meter([FLOOR_SERVER, FLOOR_WORKER]);
      await meter.start();
      const latencies: number[] = [];
      for (let i = 0; i < consents; i += 1) latencies.push(await createOne());
      const cost = await meter.stop(consents);
      latencies.sort((a, b) => a - b);
      return {
        consents,
        p50Ms: round(percentile(latencies, 50), 1),
        p99Ms: round(percentile(latencies, 99), 1),
        maxMs: round(latencies[latencies.length - 1], 1),
        minMs: round(latencies[0], 1),
        cost,
      };
    } finally {
      signer.onModuleDestroy();
      await this.stack.stopProcess(FLOOR_WORKER);
      await this.stack.stopProcess(FLOOR_SERVER);
    }
  }

  /** Empty tables and the tenant's delegation at the simulator; a KMS signer for the worker's token. */
  private async delegate(): Promise<ReturnType<typeof kmsSigner>> {
    if (!this.db) throw new Error('Floor.prepare() first');
    // An earlier intake's rows stay pending for ever: start from empty tables as the gateway does.
    await this.db.query('TRUNCATE consent_requests, events CASCADE');
    await this.stack.control('POST', '/_sim/delegations', {
      consumerOrg: this.tenantOrg,
      supplierOrg: PROVIDER_ORG,
      scopes: [WRITE, READ],
    });
    return kmsSigner(this.stack);
  }

  async close(): Promise<void> {
    await this.db?.end();
    await this.database?.drop();
  }

  private meter(processes: string[]): CostMeter {
    if (!this.database || !this.db) throw new Error('Floor.prepare() first');
    return new CostMeter({
      processes: Object.fromEntries(processes.map((name) => [name, this.stack.pid(name)])),
      database: decodeURIComponent(new URL(this.database.url).pathname.slice(1)),
      observer: this.db,
      upstream: this.stack.has('simulator') ? () => this.stack.stats() : undefined,
    });
  }

  /** A floor server on its own queue (`queue` names it inside the stack's Redis prefix). */
  private async startServer(queue: string): Promise<void> {
    const port = await freePort();
    this.serverUrl = `http://127.0.0.1:${port}`;
    await this.stack.startProcess(
      FLOOR_SERVER,
      [join(this.jsDir, 'floor-server.js')],
      {
        ...this.storage(queue),
        PORT: String(port),
        FLOOR_TENANT_ID: this.tenantId,
        FLOOR_TENANT_ORG: this.tenantOrg,
      },
      `${this.serverUrl}/health`,
    );
  }

  private async startWorker(queue: string, accessToken: string): Promise<void> {
    const port = await freePort();
    await this.stack.startProcess(
      FLOOR_WORKER,
      [join(this.jsDir, 'floor-worker.js')],
      {
        ...this.storage(queue),
        ALTINN_BASE_URL: this.stack.simulatorUrl,
        FLOOR_ACCESS_TOKEN: accessToken,
        FLOOR_HEALTH_PORT: String(port),
      },
      `http://127.0.0.1:${port}/`,
    );
  }

  /** One `POST /v1/consent-requests` to the floor server; answers the new id. */
  private async post(): Promise<string> {
    const response = await fetch(`${this.serverUrl}/v1/consent-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(createBody()),
    });
    const text = await response.text();
    if (response.status !== 202) throw new Error(`floor POST: ${response.status} ${text}`);
    return (JSON.parse(text) as { id: string }).id;
  }

  private storage(queue: string): Record<string, string> {
    if (!this.database) throw new Error('Floor.prepare() first');
    return {
      // The compiled files live in a temp dir: their packages come from the repo.
      NODE_PATH: join(ROOT, 'node_modules'),
      DATABASE_URL: this.database.url,
      REDIS_URL,
      QUEUE_PREFIX: `${this.stack.queuePrefix}-floor-${queue}`,
    };
  }
}
