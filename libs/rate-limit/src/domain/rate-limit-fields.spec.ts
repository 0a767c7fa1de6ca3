import { rateLimitFields } from './rate-limit-fields';

describe('rateLimitFields', () => {
  const policy = { name: 'tenant', quota: 600, windowSeconds: 60 };

  it('announces the policy and what is left of it as structured-field items', () => {
    expect(rateLimitFields(policy, { remaining: 599, resetSeconds: 42 })).toEqual({
      'RateLimit-Policy': '"tenant";q=600;w=60',
      RateLimit: '"tenant";r=599;t=42',
    });
  });

  it.each([
    ['an exhausted quota', { remaining: 0, resetSeconds: 60 }, '"tenant";r=0;t=60'],
    ['fractional values, rounded down', { remaining: 3.9, resetSeconds: 1.5 }, '"tenant";r=3;t=1'],
    ['negative values, as zero', { remaining: -1, resetSeconds: -0.5 }, '"tenant";r=0;t=0'],
  ])('writes non-negative integers for %s', (_case, state, expected) => {
    expect(rateLimitFields(policy, state).RateLimit).toBe(expected);
  });

  it('escapes quotes and backslashes in the policy name (sf-string)', () => {
    expect(rateLimitFields({ ...policy, name: 'a"b\\c' }, { remaining: 1, resetSeconds: 1 })).toEqual({
      'RateLimit-Policy': '"a\\"b\\\\c";q=600;w=60',
      RateLimit: '"a\\"b\\\\c";r=1;t=1',
    });
  });
});
