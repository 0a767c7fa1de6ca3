import { SpentGrants } from './spent-grants';

const NOW = 1_750_000_000;

describe('spent grants', () => {
  it.each([
    ['a new jti', [], 'b', NOW, true],
    ['a jti seen before', [['a', NOW + 60]], 'a', NOW, false],
    ['a jti seen before, at its exp', [['a', NOW + 60]], 'a', NOW + 60, false],
    ['a jti whose grant expired', [['a', NOW + 60]], 'a', NOW + 61, true],
  ] as const)('spends %s → %s', (_case, seen, jti, now, fresh) => {
    const grants = new SpentGrants();
    seen.forEach(([id, exp]) => grants.spend(id, exp, NOW));
    expect(grants.spend(jti, now + 60, now)).toBe(fresh);
  });

  it('forgets jtis once their grants have expired', () => {
    const grants = new SpentGrants();
    grants.spend('a', NOW + 10, NOW);
    grants.spend('b', NOW + 100, NOW);
    grants.spend('c', NOW + 200, NOW + 50);
    expect(grants.size).toBe(2);
  });
});
