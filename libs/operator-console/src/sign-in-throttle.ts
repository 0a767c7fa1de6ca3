import type Redis from 'ioredis';

/** Failed sign-ins allowed per client address in one window before it must wait for the window's end. */
export interface SignInThrottleLimits {
  failures: number;
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInThrottleLimits = { failures: 10, windowSeconds: 15 * 60 };

/**
 * Guessing admin keys at the sign-in form: failed attempts are counted per client address in Redis (a
 * window that starts at the first failure, shared by every replica); once they reach the limit, every
 * attempt from that address is refused until the window ends, a right key included, so guessing
 * gains nothing by going on. Successful sign-ins do not count.
 */
export class SignInThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly limits: SignInThrottleLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  /** Seconds until `address` may try again; 0 when it may now. */
  async waitFor(address: string): Promise<number> {
    const key = this.keyOf(address);
    const [failures, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
    if (failures === null || Number(failures) < this.limits.failures) return 0;
    return Math.max(1, ttl);
  }

  async recordFailure(address: string): Promise<void> {
    const key = this.keyOf(address);
    const [[, failures]] = (await this.redis.multi().incr(key).exec()) as [[Error | null, number]];
    if (failures === 1) await this.redis.expire(key, this.limits.windowSeconds);
  }

  private keyOf(address: string): string {
    return `${this.keyPrefix}console:sign-in-failures:${address}`;
  }
}
