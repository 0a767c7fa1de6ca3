import { checkCertificatePeriod, type RegisteredKey, selectRegisteredKey } from './registered-key';

const NOW = 1_750_000_000;
const keys: RegisteredKey[] = [
  { kid: 'current', thumbprint: 't-current' },
  { kid: 'old', thumbprint: 't-old', expiresAt: NOW },
  { kid: 'rs512-only', thumbprint: 't-512', alg: 'RS512' },
];

describe('registered key of a grant', () => {
  it.each([
    [{ kind: 'kid', kid: 'current' }, 'RS256', 'current'],
    [{ kind: 'certificate', thumbprint: 't-current' }, 'RS256', 'current'],
    [{ kind: 'kid', kid: 'rs512-only' }, 'RS512', 'rs512-only'],
  ] as const)('finds %j signed %s', (match, alg, kid) => {
    expect(selectRegisteredKey(keys, match, alg, NOW)).toMatchObject({ ok: true, value: { kid } });
  });

  it.each([
    ['an unknown kid', { kind: 'kid', kid: 'other' }, 'RS256', 'MP-124'],
    ['a kid matching only a thumbprint', { kind: 'kid', kid: 't-current' }, 'RS256', 'MP-124'],
    ['a certificate of another key', { kind: 'certificate', thumbprint: 't-other' }, 'RS256', 'MP-120'],
    ['a key that expired', { kind: 'kid', kid: 'old' }, 'RS256', 'MP-121'],
    ['another alg than the key is registered for', { kind: 'kid', kid: 'rs512-only' }, 'RS256', 'MP-124'],
  ] as const)('refuses %s with %s', (_case, match, alg, code) => {
    expect(selectRegisteredKey(keys, match, alg, NOW)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_grant', code },
    });
  });
});

describe('certificate period', () => {
  const from = new Date('2025-01-01T00:00:00Z');
  const to = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['before it is valid', new Date('2024-12-31T23:59:59Z'), false],
    ['while it is valid', new Date('2025-06-01T00:00:00Z'), true],
    ['after it expired', new Date('2026-01-01T00:00:01Z'), false],
  ])('%s → %s', (_case, now, ok) => {
    expect(checkCertificatePeriod(from, to, now).ok).toBe(ok);
  });
});
