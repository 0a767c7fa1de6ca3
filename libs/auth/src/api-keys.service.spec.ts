import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { type QueueModuleOptions } from '@gw/queue';
import { asTenantId, type TenantId } from '@gw/tenants';
import { ApiKeyCredentials } from './api-key-credentials';
import { type ApiKeyCredential, type ApiKeyRepository } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { type AuthOptions } from './auth.options';
import { generateApiKey, hashApiKey } from './domain/api-key';
import { LastUsedRecorder } from './last-used-recorder';

// Authentication with hand-written fakes for Postgres (the repository) and Redis (one pub/sub bus shared
// by the replicas): which requests cost a statement, and what each replica does on an invalidation or
// without its subscriber.

const TENANT = asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901');
const OPTIONS: AuthOptions = { adminApiKeys: [], keyEnvironment: 'test' };
const QUEUE: QueueModuleOptions = { redisUrl: 'redis://fake', prefix: 'sgw-unit' };

/** api_keys joined with tenants, counting the statements the service sends. */
class FakeKeys {
  readonly credentials = new Map<string, ApiKeyCredential>();
  lookups = 0;
  touches = 0;
  /** When set, lookups wait for it (a slow Postgres). */
  gate?: Promise<void>;

  add(tenantId: TenantId = TENANT): { key: string; credential: ApiKeyCredential } {
    const { key, prefix } = generateApiKey('test');
    const credential: ApiKeyCredential = {
      id: `key-${this.credentials.size + 1}`,
      tenantId,
      prefix,
      hash: hashApiKey(key),
      revoked: false,
      tenantStatus: 'active',
      orgNumber: '313876144',
    };
    this.credentials.set(prefix, credential);
    return { key, credential };
  }

  async findCredential(prefix: string): Promise<ApiKeyCredential | undefined> {
    this.lookups += 1;
    const credential = this.credentials.get(prefix);
    const answer = credential && { ...credential };
    await this.gate;
    return answer;
  }

  touch(): Promise<void> {
    this.touches += 1;
    return Promise.resolve();
  }
}

/** Redis pub/sub as the replicas see it: one bus, a subscriber connection per replica that can drop. */
class FakeBus {
  readonly subscribers = new Set<FakeSubscriber>();
  published: string[] = [];
}

class FakeSubscriber extends EventEmitter {
  status = 'wait';
  channels = new Set<string>();

  constructor(private readonly bus: FakeBus) {
    super();
    bus.subscribers.add(this);
  }

  connect(): Promise<void> {
    this.up();
    return Promise.resolve();
  }

  subscribe(channel: string): Promise<number> {
    this.channels.add(channel);
    return Promise.resolve(this.channels.size);
  }

  /** The connection drops (Redis restarts, the network splits). */
  down(): void {
    this.status = 'reconnecting';
    this.channels.clear();
    this.emit('close');
    this.emit('reconnecting');
  }

  up(): void {
    this.status = 'ready';
    this.emit('ready');
  }

  disconnect(): void {
    this.status = 'end';
    this.bus.subscribers.delete(this);
  }
}

class FakeRedis {
  status = 'ready';
  subscriber?: FakeSubscriber;

  constructor(private readonly bus: FakeBus) {}

  duplicate(): FakeSubscriber {
    this.subscriber = new FakeSubscriber(this.bus);
    return this.subscriber;
  }

  publish(channel: string, message: string): Promise<number> {
    this.bus.published.push(message);
    let heard = 0;
    for (const subscriber of this.bus.subscribers) {
      if (subscriber.status === 'ready' && subscriber.channels.has(channel)) {
        subscriber.emit('message', channel, message);
        heard += 1;
      }
    }
    return Promise.resolve(heard);
  }
}

/** One gateway replica's authentication over the shared fakes. */
class Replica {
  readonly redis: FakeRedis;
  readonly credentials: ApiKeyCredentials;
  readonly service: ApiKeysService;

  constructor(keys: FakeKeys, bus: FakeBus, options: AuthOptions = OPTIONS) {
    this.redis = new FakeRedis(bus);
    const repository = keys as unknown as ApiKeyRepository;
    this.credentials = new ApiKeyCredentials(repository, this.redis as unknown as Redis, QUEUE, options);
    this.service = new ApiKeysService(
      {} as never,
      repository,
      {} as never,
      {} as never,
      {} as never,
      {} as never,
      this.credentials,
      new LastUsedRecorder(repository),
      options,
    );
  }

  async start(): Promise<this> {
    this.credentials.onApplicationBootstrap();
    await settle();
    return this;
  }

  /** The status of the answer the guard would give: 200, or the AuthError's. */
  async answer(key: string): Promise<number | string> {
    try {
      await this.service.authenticate(key);
      return 200;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }
}

/** Lets promise callbacks already due run (subscription, background writes). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ApiKeysService.authenticate with the credential cache', () => {
  let keys: FakeKeys;
  let bus: FakeBus;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    keys = new FakeKeys();
    bus = new FakeBus();
  });

  afterEach(() => jest.useRealTimers());

  it('sends no Postgres statement for a key once it is warm', async () => {
    const replica = await new Replica(keys, bus).start();
    const { key } = keys.add();
    expect(await replica.answer(key)).toBe(200);
    await settle();
    expect([keys.lookups, keys.touches]).toEqual([1, 1]);
    for (let i = 0; i < 100; i += 1) expect(await replica.answer(key)).toBe(200);
    await settle();
    expect([keys.lookups, keys.touches]).toEqual([1, 1]);
  });

  it('reads the key again after the TTL and writes its last use again after a minute', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'], now: 1_000_000 });
    const replica = await new Replica(keys, bus).start();
    const { key } = keys.add();
    const statements = () => ({ lookups: keys.lookups, touches: keys.touches });
    await replica.answer(key);
    jest.setSystemTime(1_000_000 + 29_999);
    await replica.answer(key);
    expect(statements()).toEqual({ lookups: 1, touches: 1 });
    jest.setSystemTime(1_000_000 + 30_000);
    await replica.answer(key);
    expect(statements()).toEqual({ lookups: 2, touches: 1 });
    jest.setSystemTime(1_000_000 + 60_000);
    await replica.answer(key);
    expect(statements()).toEqual({ lookups: 3, touches: 2 });
  });

  it('reads Postgres once for concurrent first requests with one key', async () => {
    const replica = await new Replica(keys, bus).start();
    const { key } = keys.add();
    let open!: () => void;
    keys.gate = new Promise((resolve) => (open = resolve));
    const answers = Array.from({ length: 20 }, () => replica.answer(key));
    open();
    expect(await Promise.all(answers)).toEqual(Array(20).fill(200));
    expect(keys.lookups).toBe(1);
  });

  it('refuses a wrong secret and an unknown prefix alike, the unknown prefix from the cache the second time', async () => {
    const replica = await new Replica(keys, bus).start();
    const { key } = keys.add();
    const wrong = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    const unknown = generateApiKey('test').key;
    expect([
      await replica.answer(wrong),
      await replica.answer(unknown),
      await replica.answer(unknown),
    ]).toEqual(['auth.invalid_credentials', 'auth.invalid_credentials', 'auth.invalid_credentials']);
    expect(keys.lookups).toBe(2);
  });

  it.each([
    [
      'revoked',
      (credential: ApiKeyCredential): void => {
        credential.revoked = true;
      },
      'auth.invalid_credentials',
    ],
    [
      'suspended',
      (credential: ApiKeyCredential): void => {
        credential.tenantStatus = 'suspended';
      },
      'auth.tenant_suspended',
    ],
    [
      'offboarded',
      (credential: ApiKeyCredential): void => {
        credential.revoked = true;
        credential.tenantStatus = 'offboarded';
      },
      'auth.invalid_credentials',
    ],
  ] as const)(
    'refuses a key %s through another replica on every replica at once',
    async (what, change, refusal) => {
      const a = await new Replica(keys, bus).start();
      const b = await new Replica(keys, bus).start();
      const { key, credential } = keys.add();
      const other = keys.add(asTenantId('0192f3a4-5b6c-7d8e-9f01-b12345678901'));
      for (const replica of [a, b]) {
        expect(await replica.answer(key)).toBe(200);
        expect(await replica.answer(other.key)).toBe(200);
      }
      const lookups = keys.lookups;
      change(keys.credentials.get(credential.prefix)!);
      // Committed; without a word each replica would answer from its cache for the TTL.
      expect([await a.answer(key), await b.answer(key)]).toEqual([200, 200]);

      if (what === 'revoked') await a.credentials.invalidateKey(credential.prefix);
      else await a.credentials.invalidateTenant(credential.tenantId);

      expect([await a.answer(key), await b.answer(key)]).toEqual([refusal, refusal]);
      expect([await a.answer(other.key), await b.answer(other.key)]).toEqual([200, 200]);
      expect(keys.lookups).toBe(lookups + 2);
    },
  );

  it('keeps no answer read before an invalidation it crossed', async () => {
    const a = await new Replica(keys, bus).start();
    const b = await new Replica(keys, bus).start();
    const { key, credential } = keys.add();
    let open!: () => void;
    keys.gate = new Promise((resolve) => (open = resolve));
    const inFlight = b.answer(key); // reads "live" ...
    await settle();
    keys.credentials.get(credential.prefix)!.revoked = true;
    await a.credentials.invalidateKey(credential.prefix); // ... while the revocation commits and is heard
    keys.gate = undefined;
    open();
    expect(await inFlight).toBe(200); // it began before the revocation
    expect(await b.answer(key)).toBe('auth.invalid_credentials');
  });

  it('reads Postgres for every request while its subscriber is down, and caches again from nothing once back', async () => {
    const replica = await new Replica(keys, bus).start();
    const { key } = keys.add();
    await replica.answer(key);
    await replica.answer(key);
    expect([replica.credentials.caching, keys.lookups]).toEqual([true, 1]);

    replica.redis.subscriber!.down();
    for (let i = 0; i < 3; i += 1) expect(await replica.answer(key)).toBe(200);
    expect([replica.credentials.caching, keys.lookups]).toEqual([false, 4]);

    replica.redis.subscriber!.up();
    await settle();
    expect(replica.credentials.caching).toBe(true);
    await replica.answer(key);
    await replica.answer(key);
    expect(keys.lookups).toBe(5);
  });

  it('does not cache before its subscriber has subscribed', async () => {
    const replica = new Replica(keys, bus);
    const { key } = keys.add();
    await replica.answer(key);
    await replica.answer(key);
    expect([replica.credentials.caching, keys.lookups]).toEqual([false, 2]);
  });

  it('drops the key locally and answers when Redis cannot take the invalidation', async () => {
    const replica = await new Replica(keys, bus).start();
    const { key, credential } = keys.add();
    await replica.answer(key);
    keys.credentials.get(credential.prefix)!.revoked = true;
    replica.redis.status = 'reconnecting';
    await expect(replica.credentials.invalidateKey(credential.prefix)).resolves.toBeUndefined();
    expect(bus.published).toEqual([]);
    expect(await replica.answer(key)).toBe('auth.invalid_credentials');
  });

  it('does not cache at all with a TTL of 0', async () => {
    const replica = await new Replica(keys, bus, { ...OPTIONS, credentialCache: { ttlMs: 0 } }).start();
    const { key } = keys.add();
    await replica.answer(key);
    await replica.answer(key);
    expect([replica.credentials.caching, keys.lookups]).toEqual([false, 2]);
  });
});
