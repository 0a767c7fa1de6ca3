import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { deleteRedisKeys, TEST_REDIS_URL } from '@test/resources';
import { ConsoleSessions } from '../src/console-sessions';
import { SignInThrottle } from '../src/sign-in-throttle';

const MINUTE = 60_000;

describe('console sessions and the sign-in throttle in Redis', () => {
  const prefix = `sgw-test-${randomUUID()}:`;
  const redis = new Redis(TEST_REDIS_URL);
  const sessions = new ConsoleSessions(redis, prefix, { idleSeconds: 30 * 60, absoluteSeconds: 8 * 3600 });

  afterAll(async () => {
    await deleteRedisKeys(prefix);
    redis.disconnect();
  });

  it('stores a session under the digest of its id, with neither the id nor anything but the actor', async () => {
    const session = await sessions.create('admin:0123456789', Date.now());
    const key = `${prefix}console:session:${createHash('sha256').update(session.id).digest('hex')}`;
    const stored = await redis.get(key);
    expect(JSON.parse(stored ?? 'null')).toEqual({
      actor: 'admin:0123456789',
      csrfToken: session.csrfToken,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
    });
    expect(stored).not.toContain(session.id);
    expect(await redis.ttl(key)).toBeGreaterThan(29 * 60);
  });

  it('renews a session on use and forgets it once idle too long', async () => {
    const start = Date.now();
    const session = await sessions.create('admin:idle', start);
    const used = await sessions.use(session.id, start + 20 * MINUTE);
    expect(used).toMatchObject({ actor: 'admin:idle', lastSeenAt: start + 20 * MINUTE });
    expect(await sessions.use(session.id, start + 20 * MINUTE + 31 * MINUTE)).toBeUndefined();
    // Forgotten, not only refused: a later use within the idle time of the last one finds nothing.
    expect(await sessions.use(session.id, start + 21 * MINUTE)).toBeUndefined();
  });

  it('ends a session at its absolute lifetime and at sign-out', async () => {
    const start = Date.now();
    const busy = await sessions.create('admin:busy', start);
    // Used every 20 minutes (never idle) for 8 hours.
    for (let minutes = 20; minutes < 8 * 60; minutes += 20) {
      expect(await sessions.use(busy.id, start + minutes * MINUTE)).toBeDefined();
    }
    expect(await sessions.use(busy.id, start + 8 * 60 * MINUTE)).toBeUndefined();
    const other = await sessions.create('admin:out', start);
    await sessions.end(other.id);
    expect(await sessions.use(other.id, start)).toBeUndefined();
  });

  it('throttles an address after its failures, not others', async () => {
    const throttle = new SignInThrottle(redis, prefix, { failures: 3, windowSeconds: 60 });
    for (let failure = 0; failure < 2; failure += 1) await throttle.recordFailure('192.0.2.1');
    expect(await throttle.waitFor('192.0.2.1')).toBe(0);
    await throttle.recordFailure('192.0.2.1');
    const wait = await throttle.waitFor('192.0.2.1');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await throttle.waitFor('192.0.2.2')).toBe(0);
  });
});
