import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, until } from '@test/resources';
import { createBody, READ, TENANT_A, WRITE } from '@test/seed';
import { GatewayTestKit } from './gateway-test-kit';

const run = promisify(execFile);

/** A redis-server of this test's own (the machine's shared one must stay up for everyone else). */
class PrivateRedis {
  private child?: ChildProcess;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await until(
      `redis-server on ${this.port} up`,
      () => run('redis-cli', ['-p', String(this.port), 'ping']).catch(() => undefined),
      { done: (pong) => pong?.stdout.trim() === 'PONG', timeoutMs: 15_000, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function consentRows(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>('SELECT count(*) FROM consent_requests');
    return Number(result.rows[0].count);
  } finally {
    await client.end();
  }
}

// With Redis away the gateway answers at once with a 503 the tenant may retry, and keeps nothing half
// written: no consent row without its job.
describe.each([
  ['with the per-tenant rate limit (it fails closed)', {}],
  ['without a rate limit (the enqueue fails)', { RATE_LIMIT_PER_SECOND: '0' }],
])('POST /v1/consent-requests while Redis is away, %s', (_label, env: Record<string, string>) => {
  let redis: PrivateRedis;
  const kit = new GatewayTestKit();
  let key: string;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    await kit.start({ REDIS_URL: redis.url, ...env });
    ({ key } = await kit.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });

  afterAll(async () => {
    // Redis back and the gateway ready again before it closes, as in the tests that share Redis.
    await redis.start().catch(() => undefined);
    await until('the gateway ready again', () => kit.request('GET', '/health/ready', { key: null }), {
      done: (ready) => ready.status === 200,
      timeoutMs: 10_000,
    }).catch(() => undefined);
    await kit.close();
    await redis.stop();
  });

  it('accepts a request while Redis is up', async () => {
    const answer = await kit.request('POST', '/v1/consent-requests', { key, body: createBody() });
    expect(answer.status).toBe(202);
    expect(await consentRows(kit.database.url)).toBe(1);
  });

  it('answers 503 problem+json with Retry-After and writes no consent row', async () => {
    await redis.stop();
    const answer = await kit.request('POST', '/v1/consent-requests', { key, body: createBody() });
    expect(answer.status).toBe(503);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(['http.dependency_unavailable', 'consent.not_queued']).toContain(answer.body.code);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await consentRows(kit.database.url)).toBe(1);
  });
});
