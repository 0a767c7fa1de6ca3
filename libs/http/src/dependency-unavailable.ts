import { isErrorLike } from './error-like';

/** Node's network error codes for a backing service that cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is away rather than a query that is wrong: class 08 (connection
 * exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
 */
const POSTGRES_STATES = /^(08...|57P0[123]|53300)$/;

const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is closed/i, // ioredis
  // ioredis with enableOfflineQueue: false, while the connection is down or not yet ready.
  /Stream isn't writeable and enableOfflineQueue options is false/i,
  // ioredis: a command in flight outlived maxRetriesPerRequest reconnections.
  /Reached the max retries per request limit/i,
];

/**
 * Whether an error means Postgres or Redis is unreachable for the moment, so the answer is a 503 the
 * client may retry rather than a 500 that someone must investigate.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; isErrorLike(current) && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_STATES.test(code))) return true;
    const { message } = current;
    if (MESSAGES.some((pattern) => pattern.test(message))) return true;
    const next: unknown = (current as { driverError?: unknown }).driverError ?? current.cause;
    current = next;
  }
  return false;
}
