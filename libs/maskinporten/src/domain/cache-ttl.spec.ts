import { tokenCacheTtlSeconds } from './cache-ttl';

describe('tokenCacheTtlSeconds', () => {
  it.each([
    [120, 15, 105],
    [3600, 15, 3585],
    [120, 0, 120],
    [15, 15, 0],
    [10, 15, 0],
    [120.9, 15, 105],
    [0, 15, 0],
    [-5, 15, 0],
    [Number.NaN, 15, 0],
  ])('expires_in %d with margin %d caches %d s', (expiresIn, margin, expected) => {
    expect(tokenCacheTtlSeconds(expiresIn, margin)).toBe(expected);
  });
});
