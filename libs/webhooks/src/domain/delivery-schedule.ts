/**
 * The delay before each attempt, counted from the previous failure: immediately, 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h. After the eighth attempt the delivery is dead.
 */
export const RETRY_SCHEDULE_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

/** An endpoint failing continuously this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;

/** A receiver's `Retry-After` is honoured up to the schedule's longest step. */
export const MAX_RETRY_AFTER_MS = 10 * 3_600_000;

export interface DeliveryPolicy {
  /** Multiplies every schedule step and the disable window (1 in production; tests run in milliseconds). */
  scale: number;
  /** ± fraction of each step, so endpoints that failed together do not retry together. */
  jitter: number;
}

/** What one HTTP attempt produced. */
export type AttemptResult =
  { kind: 'response'; status: number; retryAfterMs?: number } | { kind: 'error'; message: string };

export type AttemptDecision =
  | { kind: 'succeeded' }
  /** The delivery is dead and the endpoint disabled: 410 Gone, or failing for the whole disable window. */
  | { kind: 'disable_endpoint'; reason: 'gone' | 'failing'; failingSince: Date }
  | { kind: 'retry'; at: Date; failingSince: Date }
  | { kind: 'exhausted'; failingSince: Date };

/** Only 2xx is success; redirects are failures (never followed). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Delay before attempt `attemptsMade + 1`, or null when the schedule is used up. `random` ∈ [0, 1) picks
 * the jitter.
 */
export function retryDelay(attemptsMade: number, policy: DeliveryPolicy, random: number): number | null {
  const step = RETRY_SCHEDULE_MS[attemptsMade];
  if (attemptsMade < 1 || step === undefined) return null;
  const jittered = step * (1 + policy.jitter * (2 * random - 1));
  return Math.max(0, Math.round(jittered * policy.scale));
}

/** RFC 9110 §10.2.3 `Retry-After`: delay-seconds or an HTTP-date; anything else is ignored. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  if (Number.isNaN(date) || !/[a-z]/i.test(value)) return undefined;
  return Math.min(Math.max(0, date - now.getTime()), MAX_RETRY_AFTER_MS);
}

/**
 * What follows an attempt: success clears the endpoint's failure streak; 410 disables the endpoint;
 * otherwise the next step of the schedule (or the receiver's `Retry-After` if later), unless the endpoint
 * has been failing for the whole (scaled) disable window or the schedule is used up.
 */
export function decideAfterAttempt(
  input: {
    result: AttemptResult;
    /** Attempts made including this one. */
    attemptsMade: number;
    /** When the endpoint's current failure streak began; null when its last attempt succeeded. */
    failingSince: Date | null;
    now: Date;
    random: number;
  },
  policy: DeliveryPolicy,
): AttemptDecision {
  const { result, now } = input;
  if (result.kind === 'response' && isSuccessStatus(result.status)) return { kind: 'succeeded' };
  const failingSince = input.failingSince ?? now;
  if (result.kind === 'response' && result.status === 410) {
    return { kind: 'disable_endpoint', reason: 'gone', failingSince };
  }
  if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS * policy.scale) {
    return { kind: 'disable_endpoint', reason: 'failing', failingSince };
  }
  const delay = retryDelay(input.attemptsMade, policy, input.random);
  if (delay === null) return { kind: 'exhausted', failingSince };
  const retryAfter = result.kind === 'response' ? (result.retryAfterMs ?? 0) : 0;
  return { kind: 'retry', at: new Date(now.getTime() + Math.max(delay, retryAfter)), failingSince };
}
