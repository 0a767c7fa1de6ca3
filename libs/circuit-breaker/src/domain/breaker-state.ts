/** The upstreams a worker's jobs depend on, each behind its own breaker. */
export type UpstreamName = 'maskinporten' | 'altinn';
export const UPSTREAMS: readonly UpstreamName[] = ['maskinporten', 'altinn'];

export interface BreakerPolicy {
  /** Upstream failures in a row (across every worker) that open the breaker. */
  failureThreshold: number;
  /** The first wait, once open, before one job may probe. */
  coolDownMs: number;
  /** Each failed probe doubles the wait, up to this. */
  maxCoolDownMs: number;
  /**
   * Probe jobs that must succeed to close it again. Half-open lets `2^successes` probes run at once
   * (1, 2, 4, …), so the queue resumes gradually instead of meeting a recovering upstream with a burst.
   */
  successesToClose: number;
  /** A probe whose worker died frees its slot after this. Longer than an upstream call may take. */
  probeLeaseMs: number;
  /** How long a job held back for a busy probe slot waits before it asks again. */
  probeRecheckMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  failureThreshold: 10,
  coolDownMs: 10_000,
  maxCoolDownMs: 120_000,
  successesToClose: 4,
  probeLeaseMs: 30_000,
  probeRecheckMs: 1_000,
};

/**
 * A breaker's state as every worker shares it. `version` grows with each change, so a write that
 * raced another is noticed and recomputed. `since` is when it entered its phase (for the operator).
 * An `open` breaker whose `until` has passed is half-open with no successes yet: that step needs no write.
 */
export type BreakerState =
  | { kind: 'closed'; failures: number; since: number; version: number }
  | { kind: 'open'; until: number; coolDownMs: number; since: number; version: number }
  | { kind: 'half_open'; successes: number; coolDownMs: number; since: number; version: number };

export type BreakerPhase = BreakerState['kind'];

export const CLOSED: BreakerState = { kind: 'closed', failures: 0, since: 0, version: 0 };

/** What a job's worker does about one upstream: run it, run it as one of the probes, or hold it back. */
export type Admission =
  { kind: 'run' } | { kind: 'probe' } | { kind: 'hold'; retryInMs: number; phase: 'open' | 'half_open' };

/** How one upstream call counts: only signs that the upstream itself is unwell open a breaker. */
export type CallVerdict = 'success' | 'failure' | 'neutral';

/**
 * Transport errors, timeouts, 408 and 5xx are failures; 429 is neither (the upstream is up and asked us
 * to slow down, which its `Retry-After` handles); every other answer, 4xx refusals included, shows the
 * upstream is up.
 */
export function callVerdict(status: number | 'timeout' | 'network'): CallVerdict {
  if (status === 'timeout' || status === 'network') return 'failure';
  if (status === 429) return 'neutral';
  if (status === 408 || status >= 500) return 'failure';
  return 'success';
}

/** The state as of `now`: an `open` breaker past its cool-down is half-open. */
export function phaseAt(state: BreakerState, now: number): BreakerState {
  if (state.kind === 'open' && now >= state.until) {
    return {
      kind: 'half_open',
      successes: 0,
      coolDownMs: state.coolDownMs,
      since: state.until,
      version: state.version,
    };
  }
  return state;
}

/** Probes that may run at once in half-open after `successes` probes succeeded. */
export function probeAllowance(successes: number): number {
  return 2 ** Math.max(0, successes);
}

export function admission(
  state: BreakerState,
  now: number,
  policy: BreakerPolicy,
  probesInFlight: number,
): Admission {
  const current = phaseAt(state, now);
  switch (current.kind) {
    case 'closed':
      return { kind: 'run' };
    case 'open':
      return { kind: 'hold', retryInMs: Math.max(1, current.until - now), phase: 'open' };
    case 'half_open':
      return probesInFlight < probeAllowance(current.successes)
        ? { kind: 'probe' }
        : { kind: 'hold', retryInMs: policy.probeRecheckMs, phase: 'half_open' };
  }
}

/** After an upstream call failed (see {@link callVerdict}). */
export function afterFailure(state: BreakerState, now: number, policy: BreakerPolicy): BreakerState {
  const current = phaseAt(state, now);
  switch (current.kind) {
    case 'closed': {
      const failures = current.failures + 1;
      if (failures < policy.failureThreshold) return { ...current, failures };
      return open(current, now, policy.coolDownMs);
    }
    case 'open':
      return current;
    case 'half_open':
      // A probe met the upstream still down: wait longer before the next one.
      return open(current, now, Math.min(policy.maxCoolDownMs, current.coolDownMs * 2));
  }
}

/**
 * After an upstream call succeeded: a closed breaker forgets its failures. In half-open only whole
 * probe jobs count ({@link afterProbeSucceeded}): a call that succeeded inside a job that then failed
 * proves little.
 */
export function afterSuccess(state: BreakerState, now: number): BreakerState {
  const current = phaseAt(state, now);
  if (current.kind === 'closed' && current.failures > 0) return { ...current, failures: 0 };
  return current;
}

/** After a probe job ran through: more probes at once, or closed once enough succeeded. */
export function afterProbeSucceeded(state: BreakerState, now: number, policy: BreakerPolicy): BreakerState {
  const current = phaseAt(state, now);
  if (current.kind !== 'half_open') return current;
  const successes = current.successes + 1;
  if (successes >= policy.successesToClose) {
    return { kind: 'closed', failures: 0, since: now, version: current.version };
  }
  return { ...current, successes };
}

function open(state: BreakerState, now: number, coolDownMs: number): BreakerState {
  return { kind: 'open', until: now + coolDownMs, coolDownMs, since: now, version: state.version };
}

/** Whether `next` differs from `previous` in anything but its version: only then is it written. */
export function changed(previous: BreakerState, next: BreakerState): boolean {
  return JSON.stringify({ ...previous, version: 0 }) !== JSON.stringify({ ...next, version: 0 });
}

/** Reads a stored state tolerantly: anything unreadable is a closed breaker. */
export function parseBreakerState(raw: string | null): BreakerState {
  if (raw === null) return CLOSED;
  try {
    const value = JSON.parse(raw) as Partial<BreakerState>;
    const version = typeof value.version === 'number' ? value.version : 0;
    const since = typeof value.since === 'number' ? value.since : 0;
    if (value.kind === 'open' && typeof value.until === 'number' && typeof value.coolDownMs === 'number')
      return { kind: 'open', until: value.until, coolDownMs: value.coolDownMs, since, version };
    if (
      value.kind === 'half_open' &&
      typeof value.successes === 'number' &&
      typeof value.coolDownMs === 'number'
    )
      return { kind: 'half_open', successes: value.successes, coolDownMs: value.coolDownMs, since, version };
    if (value.kind === 'closed' && typeof value.failures === 'number')
      return { kind: 'closed', failures: value.failures, since, version };
  } catch {
    // fall through
  }
  return { ...CLOSED, version: 0 };
}
