import { createServer } from 'node:net';
import Redis from 'ioredis';

/** The machine's Redis, as every test and bench uses it. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Deletes every Redis key under a run's prefix (queues, token cache, rate limits, webhook slots). */
export async function deleteRedisKeys(prefix: string, redisUrl: string = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

interface UntilOptions<T> {
  /** What counts as done; by default any truthy value. */
  done?: (value: T) => boolean;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * The one way tests wait: polls `probe` until its value is done, and fails after `timeoutMs` naming `what`
 * and the last value seen, so a test never sleeps a fixed time or loops without a deadline.
 */
export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  { done = Boolean, timeoutMs = 15_000, intervalMs = 20 }: UntilOptions<T> = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value) ?? String(value)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
