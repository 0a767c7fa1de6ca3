/**
 * The floor: the least work the job needs on this box, measured beside the gateway. Two plain processes
 * next to a stack's simulator and database (migrated tables): `floor-server.ts` (one Fastify route: one
 * INSERT of the request and its event, one BullMQ add) and `floor-worker.ts` (one BullMQ worker: one row
 * read, one Altinn POST, one UPDATE with its event). What the gateway does beyond that is its overhead.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@test/resources';
import ts from 'typescript';
import { type CostReport } from './cost';
import { type IntakeFigures } from './load';
import { type BenchResult } from './results';
import { createBody, type ProcessStack, REDIS_URL, TENANT_A } from './stack';

export const FLOOR_SERVER = 'floor-server';
export const FLOOR_WORKER = 'floor-worker';
const SOURCES = ['floor-server', 'floor-worker', 'floor-queue'];
const ROOT = join(__dirname, '..', '..', '..');

export interface FloorResult extends BenchResult {
  bench: 'floor';
  intake: IntakeFigures & { cost: CostReport };
  endToEnd: {
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
  };
}

export class Floor {
  readonly tenantId = randomUUID();
  readonly tenantOrg = TENANT_A;
  serverUrl = '';
  private readonly jsDir: string;

  constructor(private readonly stack: ProcessStack) {
    this.jsDir = join(stack.dir, 'floor');
  }

  /**
   * Compiles the floor's processes to plain JavaScript, as the build does the apps (types stripped, no
   * loader hook at run time), and adds the tenant row every floor consent belongs to.
   */
  async prepare(): Promise<void> {
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
    await this.stack.db.query('INSERT INTO tenants (id, org_number, name) VALUES ($1, $2, $3)', [
      this.tenantId,
      this.tenantOrg,
      'Floor bank',
    ]);
  }

  /** A floor server on its own queue (`queue` names it inside the stack's Redis prefix). */
  async startServer(queue: string): Promise<void> {
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

  async startWorker(queue: string, accessToken: string): Promise<void> {
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
  async post(): Promise<string> {
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
    return {
      // The compiled files live in a temp dir: their packages come from the repo.
      NODE_PATH: join(ROOT, 'node_modules'),
      DATABASE_URL: this.stack.database.url,
      REDIS_URL,
      QUEUE_PREFIX: `${this.stack.queuePrefix}-${queue}`,
    };
  }
}
