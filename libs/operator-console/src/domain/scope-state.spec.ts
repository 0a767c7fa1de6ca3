import { awaitingCheck, delegationGlance, scopeState, type ScopeCheck } from './scope-state';

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T11:00:00.000Z';
const refusal = (checkedAt: string, code = 'MP-251') => ({ code, message: 'not delegated', checkedAt });

describe('scopeState', () => {
  it.each<[string, ScopeCheck, ReturnType<typeof scopeState>]>([
    ['unchecked', { scope: 'a:b', verifiedAt: null, lastError: null }, { kind: 'unchecked' }],
    ['verified', { scope: 'a:b', verifiedAt: T0, lastError: null }, { kind: 'verified', at: T0 }],
    [
      'refused',
      { scope: 'a:b', verifiedAt: null, lastError: refusal(T0) },
      { kind: 'refused', code: 'MP-251', message: 'not delegated', at: T0 },
    ],
    [
      'refused after it was verified',
      { scope: 'a:b', verifiedAt: T0, lastError: refusal(T1, 'MP-200') },
      { kind: 'refused', code: 'MP-200', message: 'not delegated', at: T1 },
    ],
    [
      'verified after a refusal',
      { scope: 'a:b', verifiedAt: T1, lastError: refusal(T0) },
      { kind: 'verified', at: T1 },
    ],
  ])('is %s', (_case, scope, state) => {
    expect(scopeState(scope)).toEqual(state);
  });
});

describe('delegationGlance', () => {
  it('counts verified, refused (by code) and unchecked scopes', () => {
    expect(
      delegationGlance([
        { scope: 'a:1', verifiedAt: T0, lastError: null },
        { scope: 'a:2', verifiedAt: null, lastError: refusal(T0) },
        { scope: 'a:3', verifiedAt: null, lastError: null },
      ]),
    ).toEqual({ total: 3, verified: 1, refused: ['MP-251'], unchecked: 1 });
  });
});

describe('awaitingCheck', () => {
  const since = Date.parse(T0);
  const minute = 60_000;

  it('waits while a scope has no result from since on', () => {
    const scopes = [
      { scope: 'a:1', verifiedAt: T1, lastError: null },
      { scope: 'a:2', verifiedAt: '2025-12-31T00:00:00Z', lastError: null },
    ];
    expect(awaitingCheck(scopes, since, since + minute, 2 * minute)).toBe(true);
  });

  it('stops once every scope has a result from since on, verified or refused', () => {
    const scopes = [
      { scope: 'a:1', verifiedAt: T1, lastError: null },
      { scope: 'a:2', verifiedAt: null, lastError: refusal(T0) },
    ];
    expect(awaitingCheck(scopes, since, since + minute, 2 * minute)).toBe(false);
  });

  it('stops after its patience even when a result never came', () => {
    const scopes = [{ scope: 'a:1', verifiedAt: null, lastError: null }];
    expect(awaitingCheck(scopes, since, since + 3 * minute, 2 * minute)).toBe(false);
  });
});
