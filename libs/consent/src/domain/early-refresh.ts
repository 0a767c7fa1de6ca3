import { type ConsentStatus } from './consent-status';

/**
 * The early GET to queue after one ran (docs/architecture.md flow 3b): the next step of the early schedule
 * while the person has not decided; none after an on-demand refresh (it carries no step) or once the request
 * moved on. Whether that step still exists in the schedule is the scheduler's to say.
 */
export function earlyRefreshAfter(
  status: ConsentStatus | undefined,
  attempt: number | undefined,
): number | undefined {
  return status === 'created' && attempt !== undefined ? attempt + 1 : undefined;
}

/**
 * The early GET still due `elapsedMs` after creation, and how long until it, for a schedule of delays
 * (each after the one before); undefined once the schedule has run out and the feed has taken over.
 */
export function earlyRefreshDue(
  elapsedMs: number,
  delaysMs: readonly number[],
): { attempt: number; delayMs: number } | undefined {
  let at = 0;
  for (const [attempt, delay] of delaysMs.entries()) {
    at += delay;
    if (at > elapsedMs) return { attempt, delayMs: at - elapsedMs };
  }
  return undefined;
}
