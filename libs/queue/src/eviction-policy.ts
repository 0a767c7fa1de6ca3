import type Redis from 'ioredis';

/** What the check needs of a logger (Nest's `Logger` and pino both fit). */
export interface EvictionPolicyLogger {
  warn(message: string): unknown;
  log(message: string): unknown;
}

/**
 * The outcome of {@link checkEvictionPolicy}: the policy Redis reported, or `unknown` when it would not
 * say (managed Redis often refuses `CONFIG`).
 */
export type EvictionPolicyCheck =
  | { kind: 'ok'; policy: 'noeviction' }
  | { kind: 'evicting'; policy: string }
  | { kind: 'unknown'; reason: string };

/**
 * docs/operations.md "Redis": BullMQ keeps jobs, locks and schedulers as ordinary keys, so a Redis that
 * evicts keys under memory pressure drops queued work silently. Reads `maxmemory-policy` and warns, naming
 * the policy, when it is not `noeviction`. A Redis that refuses `CONFIG` (managed services rename or forbid
 * it) is tolerated: one informational line, no warning, no error. Never throws.
 */
export async function checkEvictionPolicy(
  redis: Pick<Redis, 'config'>,
  logger: EvictionPolicyLogger,
): Promise<EvictionPolicyCheck> {
  let reply: unknown;
  try {
    reply = await redis.config('GET', 'maxmemory-policy');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.log(
      `Could not read Redis maxmemory-policy (${reason}); make sure it is noeviction, or queued jobs can be lost`,
    );
    return { kind: 'unknown', reason };
  }
  // CONFIG GET answers [name, value] pairs (RESP2) for every matching parameter.
  const pairs = Array.isArray(reply) ? (reply as unknown[]) : [];
  const index = pairs.findIndex((item) => String(item).toLowerCase() === 'maxmemory-policy');
  const policy = index >= 0 && index + 1 < pairs.length ? String(pairs[index + 1]) : undefined;
  if (policy === undefined) {
    logger.log(
      'Redis did not report maxmemory-policy; make sure it is noeviction, or queued jobs can be lost',
    );
    return { kind: 'unknown', reason: 'not reported' };
  }
  if (policy === 'noeviction') return { kind: 'ok', policy };
  logger.warn(
    `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis will evict queue keys and jobs will be lost. Set maxmemory-policy noeviction.`,
  );
  return { kind: 'evicting', policy };
}
