import type Redis from 'ioredis';
import { type RateLimitPolicy } from './domain/rate-limit-fields';

export interface RateLimitOptions {
  /** Sustained requests per second per tenant. */
  ratePerSecond: number;
  /** Requests a tenant may make at once after being idle (the bucket's size). */
  burst: number;
  /** Prefix of the bucket keys (the process's QUEUE_PREFIX). */
  keyPrefix: string;
}

/**
 * One request's outcome, with what is left for the `RateLimit` field: `remaining` whole requests, the
 * bucket full again in `resetSeconds`; a refusal also says when the next request may pass.
 */
export type RateLimitDecision =
  | { allowed: true; remaining: number; resetSeconds: number }
  | { allowed: false; remaining: 0; resetSeconds: number; retryAfterSeconds: number };

/**
 * A token bucket per key, refilled continuously, evaluated atomically in Redis so every gateway replica
 * shares one budget per tenant. Redis's own clock (TIME) is the only clock: replicas' clocks never matter.
 * The script answers the tokens left as a string (Redis would truncate a Lua number to an integer), so
 * the remaining count and both waits come from the same round trip.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or nowMs
tokens = math.min(burst, tokens + (nowMs - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(nowMs))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: RateLimitOptions,
  ) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError('a rate limit needs ratePerSecond > 0 and burst ≥ 1');
    }
  }

  /**
   * The bucket as a quota policy: `burst` requests, restored in full after `burst / ratePerSecond`
   * seconds of rest (at least 1).
   */
  get policy(): RateLimitPolicy {
    const { ratePerSecond, burst } = this.options;
    return { name: 'tenant', quota: burst, windowSeconds: Math.max(1, Math.ceil(burst / ratePerSecond)) };
  }

  /** Takes one request from `subject`'s bucket. */
  async take(subject: string): Promise<RateLimitDecision> {
    const { ratePerSecond, burst } = this.options;
    const [allowed, value] = (await this.redis.eval(
      TAKE,
      1,
      `${this.options.keyPrefix}ratelimit:{${subject}}`,
      String(ratePerSecond),
      String(burst),
    )) as [number, string];
    const tokens = Number(value);
    const secondsUntil = (level: number) => Math.max(0, Math.ceil((level - tokens) / ratePerSecond));
    const resetSeconds = secondsUntil(burst);
    return allowed === 1
      ? { allowed: true, remaining: Math.floor(tokens), resetSeconds }
      : { allowed: false, remaining: 0, resetSeconds, retryAfterSeconds: Math.max(1, secondsUntil(1)) };
  }
}
