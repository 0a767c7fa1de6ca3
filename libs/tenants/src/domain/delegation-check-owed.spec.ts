import { type TenantScope } from '../tenant.entity';
import { delegationCheckOwed } from './delegation-check-owed';

const verified: TenantScope = { scope: 'a', verifiedAt: '2026-12-01T10:00:00.000Z', lastError: null };
const neverChecked: TenantScope = { scope: 'b', verifiedAt: null, lastError: null };
const refusedWith = (code: string): TenantScope => ({
  scope: 'c',
  verifiedAt: null,
  lastError: { code, message: 'm', checkedAt: '2026-12-01T10:00:00.000Z' },
});

describe('delegationCheckOwed', () => {
  it.each([
    ['a scope was never checked', [verified, neverChecked]],
    ['Maskinporten could not be reached', [verified, refusedWith('maskinporten.unavailable')]],
    ['KMS could not sign the grant', [refusedWith('signing.unavailable')]],
  ])('is owed when %s', (_why, scopes) => {
    expect(delegationCheckOwed({ status: 'active', scopes })).toBe(true);
  });

  it.each([
    ['every scope is verified', 'active', [verified]],
    ['Maskinporten refused the delegation itself', 'active', [verified, refusedWith('MP-251')]],
    ['the tenant has no scopes', 'active', []],
    ['the tenant is offboarded', 'offboarded', [neverChecked]],
  ] as const)('is not owed when %s', (_why, status, scopes) => {
    expect(delegationCheckOwed({ status, scopes })).toBe(false);
  });
});
