import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Caller } from '@gw/audit';
import { type TenantId } from './tenant.entity';

/** Runs inside the offboarding transaction: whatever it writes commits or rolls back with it. */
export type OffboardingHook = (caller: Caller, tenantId: TenantId, manager: EntityManager) => Promise<void>;

/**
 * What other libs do when a tenant is offboarded (auth revokes its keys), registered by them so this lib
 * needs no import of libs that build on it.
 */
@Injectable()
export class TenantOffboardingHooks {
  private readonly hooks: OffboardingHook[] = [];

  register(hook: OffboardingHook): void {
    this.hooks.push(hook);
  }

  async run(caller: Caller, tenantId: TenantId, manager: EntityManager): Promise<void> {
    for (const hook of this.hooks) await hook(caller, tenantId, manager);
  }
}
