import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidOrgNumber } from '@gw/identifiers';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { deleteRedisKeys, freePort, until } from '@test/resources';
import { ADMIN_KEY, REDIS_URL } from './gateway-test-kit';

const ROOT = join(__dirname, '..', '..', '..');

/** One gateway replica as its own OS process (`node apps/gateway/src/main.ts`), logging to a file. */
class GatewayProcess {
  url = '';
  /** The management listener: the admin API and /metrics. */
  adminUrl = '';
  private child?: ChildProcess;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  async start(): Promise<this> {
    const [port, managementPort] = await Promise.all([freePort(), freePort()]);
    this.url = `http://127.0.0.1:${port}`;
    this.adminUrl = `http://127.0.0.1:${managementPort}`;
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/gateway/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...this.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        MANAGEMENT_PORT: String(managementPort),
      },
      stdio: ['ignore', log, log],
    });
    this.child = child;
    closeSync(log);
    await until(
      `${this.name} ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.logTail()}`);
        return fetch(`${this.url}/health/ready`).then(
          (answer) => answer.ok,
          () => false,
        );
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    return this;
  }

  async request(method: string, path: string, key: string = ADMIN_KEY, body?: unknown) {
    const answer = await fetch(`${path.startsWith('/admin/') ? this.adminUrl : this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    return { status: answer.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  }

  /** How this replica has looked up tenant keys so far (`sgw_api_key_lookups_total`). */
  async lookups(): Promise<{ cache: number; database: number }> {
    const text = await (await fetch(`${this.adminUrl}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^sgw_api_key_lookups_total\\{result="${result}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ??
          0,
      );
    return { cache: count('cache'), database: count('database') };
  }

  logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  }
}

// Two gateway replicas (two OS processes) on one Postgres database and one Redis prefix: each keeps tenant
// keys in its own cache, and a revocation, suspension or offboarding through one reaches the other at once.
describe('API key cache across gateway replicas', () => {
  const queuePrefix = `sgw-test-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'sgw-key-cache-'));
  let database: TestDatabase;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let nextOrg = 820_000_000;

  async function onboard(): Promise<{ tenantId: string; keyId: string; key: string }> {
    while (!isValidOrgNumber(String(nextOrg))) nextOrg += 1;
    const orgNumber = String(nextOrg++);
    const tenant = await a.request('POST', '/admin/v1/tenants', ADMIN_KEY, {
      orgNumber,
      name: `Replicated ${orgNumber}`,
      scopes: [],
    });
    expect(tenant.status).toBe(201);
    const issued = await a.request('POST', `/admin/v1/tenants/${tenant.body.id}/api-keys`, ADMIN_KEY, {
      name: 'replicas',
    });
    expect(issued.status).toBe(201);
    return { tenantId: tenant.body.id, keyId: issued.body.id, key: issued.body.key };
  }

  /**
   * Until the replica answers the key (with `status`) from its cache; it caches once its subscriber has
   * subscribed, shortly after start.
   */
  async function warm(replica: GatewayProcess, key: string, status = 200): Promise<void> {
    await until(
      `${replica.name} serves the key from its cache`,
      async () => {
        const before = await replica.lookups();
        const answer = await replica.request('GET', '/v1/tenant', key);
        expect(answer.status).toBe(status);
        return (await replica.lookups()).cache - before.cache;
      },
      { done: (fromCache) => fromCache === 1 },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.dataSource.destroy();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_SECOND: '0',
    };
    a = new GatewayProcess('gateway A', env, join(dir, 'a.log'));
    b = new GatewayProcess('gateway B', env, join(dir, 'b.log'));
    await Promise.all([a.start(), b.start()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    await deleteRedisKeys(queuePrefix);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers a warm key from the cache: no Postgres lookup per request', async () => {
    const { key } = await onboard();
    await warm(b, key);
    const before = await b.lookups();
    // A malformed consent id: the guard authenticates, the handler refuses before touching Postgres.
    for (let i = 0; i < 20; i += 1) {
      expect((await b.request('GET', '/v1/consent-requests/not-a-uuid', key)).status).toBe(422);
    }
    const after = await b.lookups();
    expect({ cache: after.cache - before.cache, database: after.database - before.database }).toEqual({
      cache: 20,
      database: 0,
    });
  });

  it('refuses a key revoked through gateway A on gateway B within a second', async () => {
    const { tenantId, keyId, key } = await onboard();
    await warm(a, key);
    await warm(b, key);
    const revoked = await a.request('DELETE', `/admin/v1/tenants/${tenantId}/api-keys/${keyId}`);
    expect(revoked.status).toBe(200);
    const refused = await until('B refuses the revoked key', () => b.request('GET', '/v1/tenant', key), {
      done: (answer) => answer.status !== 200,
      timeoutMs: 1_000,
    });
    expect([refused.status, refused.body.code]).toEqual([401, 'auth.invalid_credentials']);
    expect((await a.request('GET', '/v1/tenant', key)).status).toBe(401);
  });

  it('refuses a tenant suspended through gateway A on gateway B within a second, and lets it in after resume', async () => {
    const { tenantId, key } = await onboard();
    await warm(b, key);
    expect(
      (await a.request('PATCH', `/admin/v1/tenants/${tenantId}`, ADMIN_KEY, { status: 'suspended' })).status,
    ).toBe(200);
    const refused = await until('B refuses the suspended tenant', () => b.request('GET', '/v1/tenant', key), {
      done: (answer) => answer.status !== 200,
      timeoutMs: 1_000,
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'auth.tenant_suspended']);

    // B now holds "suspended" in its cache: resuming must reach it too.
    await warm(b, key, 403);
    expect(
      (await a.request('PATCH', `/admin/v1/tenants/${tenantId}`, ADMIN_KEY, { status: 'active' })).status,
    ).toBe(200);
    await until('B lets the resumed tenant in', () => b.request('GET', '/v1/tenant', key), {
      done: (answer) => answer.status === 200,
      timeoutMs: 1_000,
    });
  });

  it('refuses the keys of a tenant offboarded through gateway A on gateway B within a second', async () => {
    const { tenantId, key } = await onboard();
    await warm(b, key);
    expect((await a.request('DELETE', `/admin/v1/tenants/${tenantId}`)).status).toBe(200);
    const refused = await until(
      'B refuses the offboarded tenant',
      () => b.request('GET', '/v1/tenant', key),
      { done: (answer) => answer.status !== 200, timeoutMs: 1_000 },
    );
    expect([refused.status, refused.body.code]).toEqual([401, 'auth.invalid_credentials']);
  });
});
