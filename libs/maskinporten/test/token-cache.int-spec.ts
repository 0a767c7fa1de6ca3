import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import Redis from 'ioredis';
import { MaskinportenError, RedisTokenCache, type CachedToken } from '@gw/maskinporten';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import {
  PROVIDER_ORG,
  READ,
  REDIS_URL,
  TENANT_A,
  TENANT_B,
  TokenTestKit,
  upstreamCalls,
  WRITE,
} from './token-test-kit';

describe('MaskinportenTokenService with the Redis token cache', () => {
  let sim: TestSimulator;
  let kit: TokenTestKit;

  beforeAll(async () => {
    sim = await startTestSimulator();
    await sim.control('POST', '/_sim/delegations', {
      consumerOrg: TENANT_B,
      supplierOrg: PROVIDER_ORG,
      scopes: [WRITE, READ],
    });
    kit = new TokenTestKit(sim);
  });

  afterAll(async () => {
    await kit.close();
    await sim.close();
  });

  it("never hands tenant A tenant B's token", async () => {
    const { service } = kit.replica();
    const tokenA = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_A });
    const tokenB = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_B });
    const againA = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_A });
    const againB = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_B });

    expect(tokenB.accessToken).not.toBe(tokenA.accessToken);
    expect(decodeJwt(tokenA.accessToken).consumer).toMatchObject({ ID: `0192:${TENANT_A}` });
    expect(decodeJwt(tokenB.accessToken).consumer).toMatchObject({ ID: `0192:${TENANT_B}` });
    expect(againA).toMatchObject({ accessToken: tokenA.accessToken, source: 'cache' });
    expect(againB).toMatchObject({ accessToken: tokenB.accessToken, source: 'cache' });
  });

  it('keeps tokens for other scopes and for no consumer apart', async () => {
    const { service } = kit.replica();
    const write = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_A });
    const read = await service.accessToken({ scopes: [READ], consumerOrg: TENANT_A });
    const both = await service.accessToken({ scopes: [READ, WRITE], consumerOrg: TENANT_A });
    const bothReordered = await service.accessToken({ scopes: [WRITE, READ], consumerOrg: TENANT_A });
    expect(new Set([write.accessToken, read.accessToken, both.accessToken]).size).toBe(3);
    expect(bothReordered).toMatchObject({ accessToken: both.accessToken, source: 'cache' });
    expect(decodeJwt(read.accessToken).scope).toBe(READ);
  });

  it('makes exactly one KMS Sign and one /token call for 100 concurrent callers of one key', async () => {
    const replicas = [kit.replica(), kit.replica()];
    // Warm each signer's public key so the count below is only what the tokens cost.
    await Promise.all(replicas.map(({ signer }) => signer.activeKid()));
    const before = await upstreamCalls(sim);

    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        replicas[index % 2].service.accessToken({ scopes: [READ], consumerOrg: TENANT_B }),
      ),
    );

    const after = await upstreamCalls(sim);
    expect(after.sign - before.sign).toBe(1);
    expect(after.token - before.token).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(tokens.filter((token) => token.source === 'fetched')).toHaveLength(1);
  });

  it('shares one failure with every concurrent caller instead of retrying it per caller', async () => {
    const { service } = kit.replica();
    const stranger = '100000008';
    const before = await upstreamCalls(sim);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => service.accessToken({ scopes: [WRITE], consumerOrg: stranger })),
    );
    const after = await upstreamCalls(sim);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    outcomes.forEach((outcome) =>
      expect(outcome.status === 'rejected' && outcome.reason).toMatchObject({
        code: 'maskinporten.not_delegated',
        mpCode: 'MP-251',
      }),
    );
    expect(after.token - before.token).toBe(1);
  });

  it('refuses a grant for the provider itself before touching Redis or any upstream', async () => {
    const { service } = kit.replica();
    const before = await upstreamCalls(sim);
    await expect(service.accessToken({ scopes: [WRITE], consumerOrg: PROVIDER_ORG })).rejects.toMatchObject({
      code: 'maskinporten.grant_refused',
    });
    expect(await upstreamCalls(sim)).toEqual(before);
  });

  it('stores tokens encrypted under keys that reveal neither org, scope nor person', async () => {
    const { service } = kit.replica();
    const token = await service.accessToken({ scopes: [WRITE], consumerOrg: TENANT_A });
    const keys = await kit.keys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain(TENANT_A);
      expect(key).not.toContain('consentrequests');
      const { value } = await kit.redisValue(key);
      expect(value).not.toContain(token.accessToken);
      expect(value).not.toContain(token.accessToken.split('.')[1]);
    }
  });

  it('caches for expires_in minus the safety margin', async () => {
    const margin = 30;
    const { service } = kit.replica({ cache: { keyPrefix: kit.prefix, safetyMarginSeconds: margin } });
    const [key, token] = await newValueKey(() =>
      service.accessToken({ scopes: [READ], consumerOrg: TENANT_A, resource: 'urn:test:ttl' }),
    );
    const { pttl } = await kit.redisValue(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(token.expiresAt.getTime() - Date.now() - margin * 1000 + 1000);
  });

  it('fetches a new token once the cached one has reached its margin', async () => {
    const probe = await kit.replica().service.accessToken({ scopes: [READ], consumerOrg: TENANT_B });
    // A margin of expires_in − 1 leaves a cache entry one second to live.
    const { service } = kit.replica({
      cache: { keyPrefix: kit.prefix, safetyMarginSeconds: probe.expiresIn - 1 },
    });
    const request = { scopes: [READ], consumerOrg: TENANT_B, resource: 'urn:test:expiry' };
    const [key, fresh] = await newValueKey(() => service.accessToken(request));
    expect(fresh.source).toBe('fetched');
    await waitUntil(async () => (await kit.redisValue(key)).pttl === -2);
    const before = await upstreamCalls(sim);
    const renewed = await service.accessToken(request);
    const after = await upstreamCalls(sim);
    expect(renewed.source).toBe('fetched');
    expect(renewed.accessToken).not.toBe(fresh.accessToken);
    expect(after.token - before.token).toBe(1);
  });

  it('fetches a new token after invalidate (an upstream answered 401)', async () => {
    const { service } = kit.replica();
    const request = { scopes: [WRITE], consumerOrg: TENANT_B };
    const cached = await service.accessToken(request);
    expect((await service.accessToken(request)).accessToken).toBe(cached.accessToken);
    const before = await upstreamCalls(sim);
    await service.invalidate(request);
    const renewed = await service.accessToken(request);
    const after = await upstreamCalls(sim);
    expect(renewed).toMatchObject({ source: 'fetched' });
    expect(renewed.accessToken).not.toBe(cached.accessToken);
    expect(decodeJwt(renewed.accessToken).consumer).toMatchObject({ ID: `0192:${TENANT_B}` });
    expect(after.token - before.token).toBe(1);
    expect(after.sign - before.sign).toBe(1);
  });

  it('answers a repeated request from process memory, without a Redis read, until invalidated', async () => {
    const { service, redis } = kit.replica();
    const request = { scopes: [READ], consumerOrg: TENANT_B };
    const first = await service.accessToken(request);
    const get = jest.spyOn(redis, 'get');
    expect(await service.accessToken(request)).toMatchObject({
      accessToken: first.accessToken,
      source: 'cache',
    });
    expect(get).not.toHaveBeenCalled();
    await service.invalidate(request);
    expect((await service.accessToken(request)).accessToken).not.toBe(first.accessToken);
    expect(get).toHaveBeenCalled();
  });

  it('lets a waiting process take over when the lock holder never finishes', async () => {
    const redisA = new Redis(REDIS_URL);
    const redisB = new Redis(REDIS_URL);
    try {
      const options = { keyPrefix: kit.prefix, encryptionKey: kit.secret, lockTtlMs: 300 };
      const stuck = new RedisTokenCache(redisA, options);
      const healthy = new RedisTokenCache(redisB, options);
      const token: CachedToken = {
        accessToken: 'x',
        tokenType: 'Bearer',
        scope: 's',
        expiresAt: Date.now() + 60_000,
      };
      // The first holder's fetch hangs forever, as a crashed process's would.
      void stuck.getOrFetch('takeover', () => new Promise(() => undefined));
      await waitUntil(async () => (await kit.keys()).some((key) => key.endsWith(':lock')));
      const taken = await healthy.getOrFetch('takeover', () => Promise.resolve({ token, ttlMs: 60_000 }));
      expect(taken).toEqual({ token, source: 'fetched' });
    } finally {
      redisA.disconnect();
      await redisB.quit();
    }
  });

  it('gives up waiting after the bounded wait with maskinporten.unavailable', async () => {
    const redisA = new Redis(REDIS_URL);
    const redisB = new Redis(REDIS_URL);
    try {
      const stuck = new RedisTokenCache(redisA, { keyPrefix: kit.prefix, encryptionKey: kit.secret });
      const waiter = new RedisTokenCache(redisB, {
        keyPrefix: kit.prefix,
        encryptionKey: kit.secret,
        waitTimeoutMs: 200,
      });
      const locksBefore = (await kit.keys()).filter((key) => key.endsWith(':lock')).length;
      void stuck.getOrFetch('bounded', () => new Promise(() => undefined));
      await waitUntil(
        async () => (await kit.keys()).filter((key) => key.endsWith(':lock')).length > locksBefore,
      );
      const error = await waiter
        .getOrFetch('bounded', () => Promise.reject(new Error('must not fetch')))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MaskinportenError);
      expect(error).toMatchObject({ code: 'maskinporten.unavailable' });
    } finally {
      redisA.disconnect();
      await redisB.quit();
    }
  });

  /** Runs `action` and returns the one cache entry it added, with its result. */
  async function newValueKey<T>(action: () => Promise<T>): Promise<[string, T]> {
    const before = new Set((await kit.keys()).filter((key) => key.endsWith(':value')));
    const result = await action();
    const added = (await kit.keys()).filter((key) => key.endsWith(':value') && !before.has(key));
    expect(added).toHaveLength(1);
    return [added[0], result];
  }
});

async function waitUntil(condition: () => Promise<boolean>, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(100);
  }
}
