import {
  admission,
  afterFailure,
  afterProbeSucceeded,
  afterSuccess,
  type BreakerPolicy,
  type BreakerState,
  callVerdict,
  changed,
  CLOSED,
  parseBreakerState,
  phaseAt,
  probeAllowance,
} from './breaker-state';

const policy: BreakerPolicy = {
  failureThreshold: 3,
  coolDownMs: 1_000,
  maxCoolDownMs: 3_000,
  successesToClose: 3,
  probeLeaseMs: 30_000,
  probeRecheckMs: 250,
};
const now = 1_000_000;

function failTimes(state: BreakerState, times: number, at = now): BreakerState {
  let next = state;
  for (let i = 0; i < times; i += 1) next = afterFailure(next, at, policy);
  return next;
}

describe('callVerdict', () => {
  it.each([
    ['timeout', 'failure'],
    ['network', 'failure'],
    [500, 'failure'],
    [502, 'failure'],
    [503, 'failure'],
    [408, 'failure'],
    [429, 'neutral'],
    [200, 'success'],
    [201, 'success'],
    [400, 'success'],
    [401, 'success'],
    [403, 'success'],
    [404, 'success'],
  ] as const)('counts %s as a %s', (status, verdict) => {
    expect(callVerdict(status)).toBe(verdict);
  });
});

describe('the closed breaker', () => {
  it('lets every job run', () => {
    expect(admission(CLOSED, now, policy, 0)).toEqual({ kind: 'run' });
  });

  it('stays closed below the threshold of failures in a row', () => {
    expect(failTimes(CLOSED, 2)).toMatchObject({ kind: 'closed', failures: 2 });
  });

  it('opens at the threshold, for the cool-down', () => {
    expect(failTimes(CLOSED, 3)).toMatchObject({
      kind: 'open',
      until: now + 1_000,
      coolDownMs: 1_000,
      since: now,
    });
  });

  it('forgets its failures after a success, so scattered failures never open it', () => {
    let state = failTimes(CLOSED, 2);
    state = afterSuccess(state, now);
    expect(state).toMatchObject({ kind: 'closed', failures: 0 });
    expect(failTimes(state, 2)).toMatchObject({ kind: 'closed', failures: 2 });
  });

  it('ignores a probe success', () => {
    expect(afterProbeSucceeded(CLOSED, now, policy)).toBe(CLOSED);
  });
});

describe('the open breaker', () => {
  const opened = failTimes(CLOSED, 3);

  it('holds every job back until the cool-down ends', () => {
    expect(admission(opened, now + 400, policy, 0)).toEqual({
      kind: 'hold',
      retryInMs: 600,
      phase: 'open',
    });
  });

  it('does not prolong its cool-down for failures of calls that were already in flight', () => {
    expect(afterFailure(opened, now + 500, policy)).toEqual(opened);
  });

  it('is half-open once the cool-down has passed, with no write needed', () => {
    expect(phaseAt(opened, now + 1_000)).toMatchObject({
      kind: 'half_open',
      successes: 0,
      since: now + 1_000,
    });
  });
});

describe('the half-open breaker', () => {
  const due = now + 1_000;
  const halfOpen = phaseAt(failTimes(CLOSED, 3), due);

  it('lets one probe run at a time at first', () => {
    expect(admission(halfOpen, due, policy, 0)).toEqual({ kind: 'probe' });
    expect(admission(halfOpen, due, policy, 1)).toEqual({ kind: 'hold', retryInMs: 250, phase: 'half_open' });
  });

  it('lets twice as many probes run after each success, then closes', () => {
    let state = halfOpen;
    const allowed: number[] = [];
    while (state.kind === 'half_open') {
      allowed.push(probeAllowance(state.successes));
      state = afterProbeSucceeded(state, due, policy);
    }
    expect(allowed).toEqual([1, 2, 4]);
    expect(state).toMatchObject({ kind: 'closed', failures: 0, since: due });
  });

  it('opens again after a failed probe, waiting twice as long, never more than the cap', () => {
    const reopened = afterFailure(halfOpen, due, policy);
    expect(reopened).toMatchObject({ kind: 'open', until: due + 2_000, coolDownMs: 2_000 });
    const again = afterFailure(phaseAt(reopened, due + 2_000), due + 2_000, policy);
    expect(again).toMatchObject({ kind: 'open', coolDownMs: 3_000, until: due + 5_000 });
  });

  it('counts only whole probe jobs, not single calls', () => {
    expect(afterSuccess(halfOpen, due)).toEqual(halfOpen);
  });
});

describe('stored states', () => {
  it.each([
    ['nothing stored', null],
    ['not JSON', 'open'],
    ['an unknown kind', '{"kind":"ajar","version":3}'],
    ['an open state without its end', '{"kind":"open","coolDownMs":5}'],
  ])('reads %s as closed', (_what, raw) => {
    expect(parseBreakerState(raw)).toMatchObject({ kind: 'closed', failures: 0 });
  });

  it('reads back what was written', () => {
    const opened = { ...failTimes(CLOSED, 3), version: 7 };
    expect(parseBreakerState(JSON.stringify(opened))).toEqual(opened);
  });

  it('tells a real change from a mere version bump', () => {
    expect(changed(CLOSED, { ...CLOSED, version: 4 })).toBe(false);
    expect(changed(CLOSED, failTimes(CLOSED, 1))).toBe(true);
  });
});
