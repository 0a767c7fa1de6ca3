import { fingerprintOf } from './fingerprint';

describe('fingerprintOf (what makes two bodies the same request for Idempotency-Key)', () => {
  it('ignores member order and absent members', () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      fingerprintOf({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
  });

  it.each([
    [{ a: 1 }, { a: 2 }],
    [{ a: [1, 2] }, { a: [2, 1] }],
    [{ a: '1' }, { a: 1 }],
    [{ a: null }, {}],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }],
  ])('tells %j from %j', (first, second) => {
    expect(fingerprintOf(first)).not.toBe(fingerprintOf(second));
  });
});
