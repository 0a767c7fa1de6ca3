import { nextRetryDelayMs, retryAfterMs, retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  const options = { baseMs: 200, maxMs: 1000 };

  it.each([
    [1, 0, 100],
    [1, 0.999999, 200],
    [2, 0, 200],
    [2, 0.5, 300],
    [3, 0, 400],
    [4, 0, 500],
    [4, 0.999999, 1000],
    [10, 0.5, 750],
  ])('retry %i with random %d waits %i ms', (retry, random, expected) => {
    expect(retryDelayMs(retry, options, random)).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  const now = new Date('2026-12-02T12:00:00Z');

  it.each<[string, string | null, number | undefined]>([
    ['delay-seconds', '3', 3000],
    ['an HTTP-date ahead', 'Wed, 02 Dec 2026 12:00:10 GMT', 10_000],
    ['an HTTP-date past', 'Wed, 02 Dec 2026 11:00:00 GMT', 0],
    ['no header', null, undefined],
    ['a negative number', '-5', undefined],
    ['garbage', 'later', undefined],
  ])('reads %s', (_label, header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('nextRetryDelayMs', () => {
  const options = { baseMs: 200, maxMs: 1000 };

  it.each<[string, number | undefined, number | undefined]>([
    ['the backoff when the server asked nothing', undefined, 100],
    ['the backoff when the server asked less', 50, 100],
    ['what the server asked when it is longer', 3000, 3000],
    ['nothing (give up) when the server asked more than it waits', 6000, undefined],
  ])('waits %s', (_label, asked, expected) => {
    expect(nextRetryDelayMs(1, options, 0, asked, 5000)).toBe(expected);
  });
});
