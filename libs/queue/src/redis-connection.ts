import Redis, { type RedisOptions } from 'ioredis';

export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/**
 * A Redis connection as BullMQ wants it: no per-command retry limit (workers block on the queue) and
 * no ready check delay; `lazyConnect` so a process can start and report itself not ready.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: true,
    ...options,
  });
}

/**
 * A connection of its own for SUBSCRIBE to `channel` (a subscribed connection runs no other command), with
 * the shared connection's options, named `<channel>:subscriber` for CLIENT LIST. Redis refuses names with
 * spaces or control characters. It is lazy like the shared one: the caller connects.
 */
export function subscriberConnection(redis: Redis, channel: string): Redis {
  return redis.duplicate({ connectionName: `${channel}:subscriber`.replace(/[^\x21-\x7e]/g, '_') });
}

/**
 * For a process that answers requests (the gateway): a command fails at once while Redis is away
 * ("Stream isn't writeable and enableOfflineQueue options is false"), and a command in flight when the
 * connection drops fails after one reconnection ("Reached the max retries per request limit"), so a
 * request can be answered 503 at once instead of waiting for Redis to come back. A worker keeps ioredis's
 * defaults: its jobs can wait.
 */
export const FAIL_FAST_REDIS_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
} as const satisfies RedisOptions;

/** `redis://` / `rediss://` URL → ioredis options, for clients (BullMQ) that take options, not URLs. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
