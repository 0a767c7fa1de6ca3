import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimiter } from '../src/rate-limiter';

// The token bucket against the machine's Redis, one key prefix per run.
describe('RateLimiter', () => {
  const prefix = `sgw-test-${randomUUID()}:`;
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('lets a burst through, then refuses with the wait until the next token', async () => {
    const limiter = new RateLimiter(redis, { ratePerSecond: 0.5, burst: 3, keyPrefix: prefix });
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.take('tenant-a'));
    expect(decisions.slice(0, 3).every((decision) => decision.allowed)).toBe(true);
    // Two tokens a second refill in 2 s; the empty bucket of 3 is full again in 6 s.
    expect(decisions[3]).toEqual({ allowed: false, remaining: 0, resetSeconds: 6, retryAfterSeconds: 2 });
  });

  it('says how many requests are left and when the bucket is full again', async () => {
    const limiter = new RateLimiter(redis, { ratePerSecond: 0.5, burst: 3, keyPrefix: prefix });
    expect(await limiter.take('tenant-f')).toEqual({ allowed: true, remaining: 2, resetSeconds: 2 });
    expect(await limiter.take('tenant-f')).toEqual({ allowed: true, remaining: 1, resetSeconds: 4 });
    expect(limiter.policy).toEqual({ name: 'tenant', quota: 3, windowSeconds: 6 });
  });

  it("keeps one tenant's budget apart from another's", async () => {
    const limiter = new RateLimiter(redis, { ratePerSecond: 0.1, burst: 1, keyPrefix: prefix });
    expect((await limiter.take('tenant-b')).allowed).toBe(true);
    expect((await limiter.take('tenant-b')).allowed).toBe(false);
    expect((await limiter.take('tenant-c')).allowed).toBe(true);
  });

  it('shares one budget between limiters (gateway replicas) on the same Redis', async () => {
    const replicas = [1, 2, 3].map(
      () => new RateLimiter(redis, { ratePerSecond: 0.1, burst: 5, keyPrefix: prefix }),
    );
    const decisions = await Promise.all(
      Array.from({ length: 9 }, (_, i) => replicas[i % 3].take('tenant-d')),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
  });

  it('refills over time', async () => {
    const limiter = new RateLimiter(redis, { ratePerSecond: 20, burst: 1, keyPrefix: prefix });
    expect((await limiter.take('tenant-e')).allowed).toBe(true);
    expect((await limiter.take('tenant-e')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await limiter.take('tenant-e')).allowed).toBe(true);
  });

  it('refuses a limit that could never let anything through', () => {
    expect(() => new RateLimiter(redis, { ratePerSecond: 0, burst: 1, keyPrefix: prefix })).toThrow(
      RangeError,
    );
  });
});
