/** Where a failure came from: an upstream, the signer, or the gateway's own code. */
export type FailureSource = 'altinn' | 'maskinporten' | 'signing' | 'gateway';

/**
 * What every upstream client's error says about itself, in one shape (the altinn and maskinporten errors
 * implement it): enough for a queue to decide between retrying, waiting and giving up.
 */
export interface UpstreamFailure {
  readonly source: FailureSource;
  /** The client's stable code, e.g. `altinn.unavailable` or `maskinporten.not_delegated`. */
  readonly code: string;
  /** The upstream's own code when it gave one (`AM-00005`, `MP-251`). */
  readonly upstreamCode?: string;
  /** Whether the same call may succeed later unchanged (outage, timeout). */
  readonly retryable: boolean;
  /** The upstream's `Retry-After`, in ms: the earliest a retry is worth making. */
  readonly retryAfterMs?: number;
  readonly message: string;
}

const SOURCES: ReadonlySet<string> = new Set<FailureSource>(['altinn', 'maskinporten', 'signing', 'gateway']);

/**
 * The failure shape of an error, read structurally: an error from another realm (a vm context, a copy of a
 * lib) fails `instanceof` yet says the same.
 */
export function upstreamFailureOf(error: unknown): UpstreamFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as Partial<Record<keyof UpstreamFailure, unknown>>;
  if (
    typeof fields.source !== 'string' ||
    !SOURCES.has(fields.source) ||
    typeof fields.code !== 'string' ||
    typeof fields.retryable !== 'boolean' ||
    typeof fields.message !== 'string'
  ) {
    return undefined;
  }
  return {
    source: fields.source as FailureSource,
    code: fields.code,
    upstreamCode: typeof fields.upstreamCode === 'string' ? fields.upstreamCode : undefined,
    retryable: fields.retryable,
    retryAfterMs: typeof fields.retryAfterMs === 'number' ? fields.retryAfterMs : undefined,
    message: fields.message,
  };
}

/** Where a job stands in its attempts, as BullMQ counts them. */
export interface JobAttempt {
  /** Attempts that ended in a failure (a re-delay spends none). */
  attemptsMade: number;
  /** Times the job was started, re-delays included. */
  attemptsStarted: number;
  /** The queue's attempt budget for the job. */
  attempts: number;
}

export function attemptOf(job: {
  attemptsMade: number;
  attemptsStarted: number;
  opts: { attempts?: number };
}): JobAttempt {
  return {
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    attempts: job.opts.attempts ?? 1,
  };
}

/** Whether a failure of this attempt would be the job's last: the queue retries no more after it. */
export function isLastAttempt(attempt: Pick<JobAttempt, 'attemptsMade' | 'attempts'>): boolean {
  return attempt.attemptsMade + 1 >= attempt.attempts;
}

/** How a queue treats its jobs' failures (the table is `QUEUE_RETRY_RULES`). */
export interface RetryRules {
  /** Sources whose refusals (failures that are not retryable) end the job for good. */
  finalRefusalsFrom: readonly FailureSource[];
  /** Error codes that end the job for good whatever raised them; the reason is the error's message. */
  finalCodes: readonly string[];
  /** Whether an upstream's `Retry-After` re-delays the job instead of the queue's backoff. */
  honourRetryAfter: boolean;
}

/** What becomes of a job whose work threw. */
export type JobFailureOutcome =
  /** Fails for good (BullMQ `UnrecoverableError`) with this reason. */
  | { kind: 'fail'; reason: string }
  /** The same job waits this long, spending no attempt (the upstream's `Retry-After`). */
  | { kind: 'delay'; delayMs: number }
  /** The queue retries it with its backoff, or fails it once its attempts are spent. */
  | { kind: 'retry' };

/** The one rule that turns a job's error into its outcome. */
export function jobFailureOutcome(error: unknown, attempt: JobAttempt, rules: RetryRules): JobFailureOutcome {
  const failure = upstreamFailureOf(error);
  if (failure && !failure.retryable && rules.finalRefusalsFrom.includes(failure.source)) {
    // Retrying cannot help; the reason names the codes (read back by the gateway), never request values.
    return {
      kind: 'fail',
      reason: `${failure.code}${failure.upstreamCode ? ` (${failure.upstreamCode})` : ''}`,
    };
  }
  // A re-delay spends no attempt, so only the first few waits are honoured this way (twice the attempt
  // budget in starts); later ones take the backoff, so a job cannot wait forever.
  if (
    failure?.retryable &&
    failure.retryAfterMs !== undefined &&
    rules.honourRetryAfter &&
    attempt.attemptsStarted <= 2 * attempt.attempts
  ) {
    return { kind: 'delay', delayMs: failure.retryAfterMs };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && rules.finalCodes.includes(code)) {
    return { kind: 'fail', reason: error instanceof Error ? error.message : code };
  }
  return { kind: 'retry' };
}
