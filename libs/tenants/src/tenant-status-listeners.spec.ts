import { Logger } from '@nestjs/common';
import { asTenantId } from './tenant.entity';
import { TenantStatusListeners } from './tenant-status-listeners';

const TENANT = asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901');

describe('TenantStatusListeners', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('tells every listener, in order, even after one failed: the change is committed already', async () => {
    const listeners = new TenantStatusListeners();
    const told: string[] = [];
    listeners.register((tenantId, status) => {
      told.push(`first ${tenantId} ${status}`);
      return Promise.reject(new Error('Redis away'));
    });
    listeners.register((tenantId, status) => {
      told.push(`second ${tenantId} ${status}`);
      return Promise.resolve();
    });
    await expect(listeners.notify(TENANT, 'suspended')).resolves.toBeUndefined();
    expect(told).toEqual([`first ${TENANT} suspended`, `second ${TENANT} suspended`]);
  });
});
