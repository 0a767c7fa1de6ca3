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

/**
 * The same limit inside one process, as a FIFO queue in front of {@link EndpointSlots}: a delivery waits
 * here for a free place instead of being re-delayed and polled again, so a burst to one endpoint flows at
 * its limit with no slot re-queueing. At most `maxWaiting` deliveries per endpoint wait, so one endpoint
 * never takes all of the worker's job slots; beyond that, the caller re-delays as before.
 */
export class EndpointGate {
  private readonly endpoints = new Map<string, { active: number; limit: number; waiting: (() => void)[] }>();

  constructor(private readonly maxWaiting: number) {}

  /** A function that gives the place back, or null when too many deliveries already wait. */
  async enter(endpointId: string, limit: number): Promise<(() => void) | null> {
    let entry = this.endpoints.get(endpointId);
    if (!entry) {
      entry = { active: 0, limit, waiting: [] };
      this.endpoints.set(endpointId, entry);
    }
    entry.limit = limit;
    if (entry.active >= entry.limit) {
      if (entry.waiting.length >= this.maxWaiting) return null;
      await new Promise<void>((resolve) => entry.waiting.push(resolve));
    } else {
      entry.active += 1;
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.leave(endpointId);
    };
  }

  private leave(endpointId: string): void {
    const entry = this.endpoints.get(endpointId);
    if (!entry) return;
    entry.active -= 1;
    while (entry.active < entry.limit && entry.waiting.length > 0) {
      entry.active += 1;
      entry.waiting.shift()?.();
    }
    if (entry.active === 0 && entry.waiting.length === 0) this.endpoints.delete(endpointId);
  }
}
