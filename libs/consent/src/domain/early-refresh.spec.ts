import { earlyRefreshAfter, earlyRefreshDue } from './early-refresh';

describe('earlyRefreshAfter', () => {
  it.each([
    ['created', 0, 1],
    ['created', 4, 5],
    ['created', undefined, undefined],
    ['accepted', 0, undefined],
    ['rejected', 2, undefined],
    [undefined, 0, undefined],
  ] as const)('a %s request after early GET %p: next %p', (status, attempt, next) => {
    expect(earlyRefreshAfter(status, attempt)).toBe(next);
  });
});

describe('earlyRefreshDue', () => {
  const delays = [5_000, 15_000, 30_000];

  it.each([
    [0, { attempt: 0, delayMs: 5_000 }],
    [4_000, { attempt: 0, delayMs: 1_000 }],
    [5_000, { attempt: 1, delayMs: 15_000 }],
    [49_999, { attempt: 2, delayMs: 1 }],
    [50_000, undefined],
  ])('%i ms after creation: %p', (elapsedMs, due) => {
    expect(earlyRefreshDue(elapsedMs, delays)).toEqual(due);
  });
});
