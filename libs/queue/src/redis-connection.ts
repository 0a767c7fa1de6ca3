import Redis, { type RedisOptions } from 'ioredis';

export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/**
 * A Redis connection as BullMQ wants it: no per-command retry limit (workers block on the queue) and
 * no ready check delay; `lazyConnect` so a process can start and report itself not ready.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true, ...options });
}
