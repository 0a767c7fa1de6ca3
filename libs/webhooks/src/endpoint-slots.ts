import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

// KEYS[1] the endpoint's holder set; ARGV: now, expiry of this holder, limit, holder, key TTL.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/**
 * A counting semaphore per endpoint in Redis, so one slow or dead endpoint holds at most `limit` worker
 * slots in the whole fleet and never delays deliveries to other endpoints. A holder that dies lets go
 * when its lease (the attempt's timeout plus a margin) runs out.
 */
export class EndpointSlots {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** A holder token, or null when the endpoint already has `limit` attempts in flight. */
  async acquire(endpointId: string, limit: number, leaseMs: number): Promise<string | null> {
    const holder = randomUUID();
    const now = Date.now();
    const acquired = await this.redis.eval(
      ACQUIRE,
      1,
      this.key(endpointId),
      now,
      now + leaseMs,
      limit,
      holder,
      leaseMs * 2,
    );
    return acquired === 1 ? holder : null;
  }

  async release(endpointId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(endpointId), holder);
  }

  private key(endpointId: string): string {
    return `${this.keyPrefix}:webhook-slots:${endpointId}`;
  }
}
