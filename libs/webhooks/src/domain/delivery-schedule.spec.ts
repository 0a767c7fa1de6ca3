import {
  decideAfterAttempt,
  DISABLE_AFTER_MS,
  isSuccessStatus,
  parseRetryAfter,
  RETRY_SCHEDULE_MS,
  retryDelay,
} from './delivery-schedule';

const now = new Date('2026-03-01T12:00:00Z');
const exact = { scale: 1, jitter: 0 };

describe('retryDelay', () => {
  it.each([
    [1, 5_000],
    [2, 300_000],
    [3, 1_800_000],
    [4, 7_200_000],
    [5, 18_000_000],
    [6, 36_000_000],
    [7, 36_000_000],
  ])('waits the schedule step after attempt %i: %i ms', (attemptsMade, delay) => {
    expect(retryDelay(attemptsMade, exact, 0.5)).toBe(delay);
  });

  it('gives up after the eighth attempt', () => {
    expect(RETRY_SCHEDULE_MS).toHaveLength(8);
    expect(retryDelay(8, exact, 0.5)).toBeNull();
  });

  it.each([
    [0, 4_000],
    [0.5, 5_000],
    [0.999999, 6_000],
  ])('jitters ±20%% (random %f → %i ms)', (random, delay) => {
    expect(retryDelay(1, { scale: 1, jitter: 0.2 }, random)).toBe(delay);
  });

  it('scales the schedule for tests', () => {
    expect(retryDelay(6, { scale: 0.001, jitter: 0 }, 0.5)).toBe(36_000);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['Sun, 01 Mar 2026 12:01:00 GMT', 60_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['999999999', 36_000_000],
    ['soon', undefined],
    ['-1', undefined],
    [undefined, undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('decideAfterAttempt', () => {
  const decide = (
    result: Parameters<typeof decideAfterAttempt>[0]['result'],
    attemptsMade = 1,
    failingSince: Date | null = null,
  ) => decideAfterAttempt({ result, attemptsMade, failingSince, now, random: 0.5 }, exact);

  it.each([200, 201, 204, 299])('counts %i as delivered', (status) => {
    expect(decide({ kind: 'response', status })).toEqual({ kind: 'succeeded' });
    expect(isSuccessStatus(status)).toBe(true);
  });

  it.each([301, 302, 307, 400, 404, 429, 500, 503])('retries after %i', (status) => {
    expect(decide({ kind: 'response', status })).toEqual({
      kind: 'retry',
      at: new Date(now.getTime() + 5_000),
      failingSince: now,
    });
  });

  it('retries after a network error', () => {
    expect(decide({ kind: 'error', message: 'ECONNREFUSED' })).toMatchObject({ kind: 'retry' });
  });

  it('disables the endpoint on 410 Gone', () => {
    expect(decide({ kind: 'response', status: 410 })).toEqual({
      kind: 'disable_endpoint',
      reason: 'gone',
      failingSince: now,
    });
  });

  it('honours a Retry-After longer than the schedule step', () => {
    expect(decide({ kind: 'response', status: 503, retryAfterMs: 60_000 })).toMatchObject({
      kind: 'retry',
      at: new Date(now.getTime() + 60_000),
    });
  });

  it('keeps the schedule step when Retry-After is shorter', () => {
    expect(decide({ kind: 'response', status: 429, retryAfterMs: 1_000 }, 2)).toMatchObject({
      at: new Date(now.getTime() + 300_000),
    });
  });

  it('gives the delivery up after the last step', () => {
    expect(decide({ kind: 'response', status: 500 }, 8)).toEqual({ kind: 'exhausted', failingSince: now });
  });

  it('keeps the start of a running failure streak', () => {
    const since = new Date(now.getTime() - 3_600_000);
    expect(decide({ kind: 'response', status: 500 }, 1, since)).toMatchObject({ failingSince: since });
  });

  it('disables an endpoint failing for five days', () => {
    const since = new Date(now.getTime() - DISABLE_AFTER_MS);
    expect(decide({ kind: 'response', status: 500 }, 3, since)).toEqual({
      kind: 'disable_endpoint',
      reason: 'failing',
      failingSince: since,
    });
  });

  it('does not disable an endpoint failing for just under five days', () => {
    const since = new Date(now.getTime() - DISABLE_AFTER_MS + 1);
    expect(decide({ kind: 'response', status: 500 }, 3, since)).toMatchObject({ kind: 'retry' });
  });

  it('scales the disable window with the schedule', () => {
    const since = new Date(now.getTime() - DISABLE_AFTER_MS / 1000);
    expect(
      decideAfterAttempt(
        { result: { kind: 'error', message: 'x' }, attemptsMade: 2, failingSince: since, now, random: 0.5 },
        { scale: 0.001, jitter: 0 },
      ),
    ).toMatchObject({ kind: 'disable_endpoint', reason: 'failing' });
  });
});
