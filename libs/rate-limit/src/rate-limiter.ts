import type Redis from 'ioredis';

export interface RateLimitOptions {
  /** Sustained requests per second per tenant. */
  ratePerSecond: number;
  /** Requests a tenant may make at once after being idle (the bucket's size). */
  burst: number;
  /** Prefix of the bucket keys (the process's QUEUE_PREFIX). */
  keyPrefix: string;
}

export type RateLimitDecision =
  { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * A token bucket per key, refilled continuously, evaluated atomically in Redis so every gateway replica
 * shares one budget per tenant. Redis's own clock (TIME) is the only clock: replicas' clocks never matter.
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
if allowed == 1 then return {1, math.floor(tokens)} end
return {0, math.ceil((1 - tokens) * 1000 / rate)}`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: RateLimitOptions,
  ) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError('a rate limit needs ratePerSecond > 0 and burst ≥ 1');
    }
  }

  /** Takes one request from `subject`'s bucket. */
  async take(subject: string): Promise<RateLimitDecision> {
    const [allowed, value] = (await this.redis.eval(
      TAKE,
      1,
      `${this.options.keyPrefix}ratelimit:{${subject}}`,
      String(this.options.ratePerSecond),
      String(this.options.burst),
    )) as [number, number];
    return allowed === 1
      ? { allowed: true, remaining: value }
      : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(value / 1000)) };
  }
}
