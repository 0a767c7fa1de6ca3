import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { deleteRedisKeys, TEST_REDIS_URL } from '@test/resources';
import { RecentCounts } from '../src/recent-counts';

// Two processes (a gateway and a worker, or two workers) count into the same minute buckets; a read
// anywhere sums them.
describe('RecentCounts (real Redis)', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  let redis: Redis;
  let first: RecentCounts;
  let second: RecentCounts;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    first = new RecentCounts(redis, { prefix });
    second = new RecentCounts(redis, { prefix });
  });
  afterAll(async () => {
    await first.onApplicationShutdown();
    await second.onApplicationShutdown();
    await deleteRedisKeys(prefix);
    await redis.quit();
  });

  it('sums every process’s flushed counts of the last minutes, and nothing older', async () => {
    const now = Date.now();
    first.add('upstream|altinn|ok');
    first.add('upstream|altinn|error');
    first.add('token|altinn:consentrequests.write|fetched');
    await first.flush(now - 20 * 60_000); // twenty minutes ago: outside a 15-minute look
    first.add('upstream|altinn|ok');
    first.add('token|altinn:consentrequests.write|cache');
    await first.flush(now - 60_000);
    second.add('upstream|altinn|error');
    second.add('upstream|maskinporten|ok');
    second.add('token|altinn:consentrequests.write|cache');
    second.add('token|altinn:consentrequests.write|fetched');
    await second.flush(now);

    expect(await first.read(15, now)).toEqual({
      minutes: 15,
      upstreams: [
        { upstream: 'altinn', calls: 2, errors: 1, errorRate: 0.5 },
        { upstream: 'maskinporten', calls: 1, errors: 0, errorRate: 0 },
      ],
      tokenCache: [
        { scope: 'altinn:consentrequests.write', cache: 2, fetched: 1, waited: 0, hitRatio: 2 / 3 },
      ],
    });
    expect((await second.read(30, now)).upstreams[0]).toEqual({
      upstream: 'altinn',
      calls: 4,
      errors: 2,
      errorRate: 0.5,
    });
  });

  it('counts what is not flushed yet only once it is', async () => {
    const now = Date.now() + 10 * 60 * 60_000; // buckets of its own
    first.add('upstream|kms|ok');
    expect((await second.read(1, now)).upstreams).toEqual([]);
    await first.flush(now);
    expect((await second.read(1, now)).upstreams).toEqual([
      { upstream: 'kms', calls: 1, errors: 0, errorRate: 0 },
    ]);
  });

  it('lets its buckets expire after the longest look back', async () => {
    const now = Date.now() + 20 * 60 * 60_000;
    first.add('upstream|altinn|ok');
    await first.flush(now);
    const ttl = await redis.pttl(`${prefix}:{recent-counts}:${Math.floor(now / 60_000)}`);
    expect(ttl).toBeGreaterThan(60 * 60_000);
    expect(ttl).toBeLessThanOrEqual(65 * 60_000);
  });
});
