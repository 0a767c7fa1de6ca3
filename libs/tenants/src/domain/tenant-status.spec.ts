import { type TenantStatus, type TenantStatusChange, tenantStatusChange } from './tenant-status';

describe('tenantStatusChange', () => {
  it.each<[TenantStatus, TenantStatus, TenantStatusChange]>([
    ['active', 'suspended', { ok: true, changed: true, action: 'suspended' }],
    ['suspended', 'active', { ok: true, changed: true, action: 'resumed' }],
    ['active', 'offboarded', { ok: true, changed: true, action: 'offboarded' }],
    ['suspended', 'offboarded', { ok: true, changed: true, action: 'offboarded' }],
    ['active', 'active', { ok: true, changed: false }],
    ['suspended', 'suspended', { ok: true, changed: false }],
    ['offboarded', 'active', { ok: false, reason: 'offboarded' }],
    ['offboarded', 'suspended', { ok: false, reason: 'offboarded' }],
    ['offboarded', 'offboarded', { ok: false, reason: 'offboarded' }],
  ])('from %s to %s gives %j', (current, requested, expected) => {
    expect(tenantStatusChange(current, requested)).toEqual(expected);
  });
});
