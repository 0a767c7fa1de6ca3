import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { createRedisConnection } from '@gw/queue';
import { asTenantId } from '@gw/tenants';
import { ApiKeyCredentials } from '../src/api-key-credentials';
import { type ApiKeyCredential, type ApiKeyRepository } from '../src/api-key.repository';
import { until } from '@test/resources';

// Two replicas' credential caches over the machine's Redis (a channel under a prefix of this run's own),
// Postgres faked: invalidations reach the other replica, and a dropped subscriber connection turns the
// cache off until it is back.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TENANT = asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901');

class FakeKeys {
  readonly credentials = new Map<string, ApiKeyCredential>();
  lookups = 0;

  add(prefix: string): ApiKeyCredential {
    const credential: ApiKeyCredential = {
      id: randomUUID(),
      tenantId: TENANT,
      prefix,
      hash: Buffer.alloc(32),
      revoked: false,
      tenantStatus: 'active',
      orgNumber: '313876144',
    };
    this.credentials.set(prefix, credential);
    return credential;
  }

  findCredential(prefix: string): Promise<ApiKeyCredential | undefined> {
    this.lookups += 1;
    const credential = this.credentials.get(prefix);
    return Promise.resolve(credential && { ...credential });
  }
}

describe('ApiKeyCredentials over Redis', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  const keys = new FakeKeys();
  const connections: Redis[] = [];
  const replicas: ApiKeyCredentials[] = [];
  let admin: Redis;

  async function replica(): Promise<ApiKeyCredentials> {
    const redis = createRedisConnection(REDIS_URL);
    await redis.connect();
    connections.push(redis);
    const credentials = new ApiKeyCredentials(
      keys as unknown as ApiKeyRepository,
      redis,
      { redisUrl: REDIS_URL, prefix },
      { adminApiKeys: [], keyEnvironment: 'test' },
    );
    credentials.onApplicationBootstrap();
    replicas.push(credentials);
    await until('subscribed', () => credentials.caching);
    return credentials;
  }

  /** Whether `credentials` answers `prefix` without asking Postgres. */
  async function cached(credentials: ApiKeyCredentials, keyPrefix: string): Promise<boolean> {
    const before = keys.lookups;
    await credentials.find(keyPrefix);
    return keys.lookups === before;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    admin = createRedisConnection(REDIS_URL);
    await admin.connect();
  });

  afterAll(async () => {
    for (const credentials of replicas) credentials.onApplicationShutdown();
    await Promise.all([...connections, admin].map((connection) => connection.quit()));
  });

  it('drops a key on the other replica once one replica invalidates it', async () => {
    const [a, b] = [await replica(), await replica()];
    const key = keys.add('sgw_test_Invalid1');
    for (const credentials of [a, b]) {
      await credentials.find(key.prefix);
      expect(await cached(credentials, key.prefix)).toBe(true);
    }
    keys.credentials.get(key.prefix)!.revoked = true;
    await a.invalidateKey(key.prefix);
    await until('B drops the key', async () => (await b.find(key.prefix))?.revoked === true);
    expect((await a.find(key.prefix))?.revoked).toBe(true);
  });

  it('drops every key of a tenant on the other replica', async () => {
    const [a, b] = [await replica(), await replica()];
    const first = keys.add('sgw_test_Tenant001');
    const second = keys.add('sgw_test_Tenant002');
    for (const key of [first, second]) await b.find(key.prefix);
    for (const key of [first, second]) keys.credentials.get(key.prefix)!.tenantStatus = 'suspended';
    await a.invalidateTenant(TENANT);
    await until('B drops the tenant', async () => (await b.find(first.prefix))?.tenantStatus === 'suspended');
    expect((await b.find(second.prefix))?.tenantStatus).toBe('suspended');
  });

  it('stops caching when its subscriber connection drops, and starts again from nothing once it is back', async () => {
    const credentials = await replica();
    const key = keys.add('sgw_test_Dropped1');
    await credentials.find(key.prefix);
    expect(await cached(credentials, key.prefix)).toBe(true);

    const name = `${prefix}:auth:credential-invalidations:subscriber`;
    const clients = String(await admin.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` name=${name} `));
    expect(clients.length).toBe(replicas.length);
    // Kill this replica's subscriber only: it is the newest connection of that name.
    const ids = clients.map((line) => Number(/\bid=(\d+)/.exec(line)![1])).sort((x, y) => x - y);
    await admin.client('KILL', 'ID', String(ids[ids.length - 1]));
    await until('caching stops', () => !credentials.caching);

    await until('subscribed again', () => credentials.caching);
    expect(await cached(credentials, key.prefix)).toBe(false);
    expect(await cached(credentials, key.prefix)).toBe(true);
    // Subscribed again indeed: another replica's invalidation reaches it.
    const other = await replica();
    keys.credentials.get(key.prefix)!.revoked = true;
    await other.invalidateKey(key.prefix);
    await until('drops the key', async () => (await credentials.find(key.prefix))?.revoked === true);
  });
});
