export { RateLimiter, type RateLimitDecision, type RateLimitOptions } from './rate-limiter';
export { RateLimitError, type RateLimitErrorCode } from './rate-limit.errors';
export { rateLimitFields, type RateLimitPolicy, type RateLimitState } from './domain/rate-limit-fields';
