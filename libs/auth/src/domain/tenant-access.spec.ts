import { tenantAccess } from './tenant-access';

describe('tenantAccess', () => {
  it.each([
    ['active', { ok: true }],
    ['suspended', { ok: false, reason: 'suspended' }],
    ['offboarded', { ok: false, reason: 'offboarded' }],
  ] as const)('a %s tenant gets %j', (status, expected) => {
    expect(tenantAccess(status)).toEqual(expected);
  });
});
