import { retryDelayMs } from './retry-delay';

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
