import { Injectable, Logger } from '@nestjs/common';
import { type TenantStatus } from './domain/tenant-status';
import { type TenantId } from './tenant.entity';

/** Told after a tenant's status change has committed (suspend, resume, offboard). */
export type TenantStatusListener = (tenantId: TenantId, status: TenantStatus) => Promise<void>;

/**
 * What other libs do once a status change is committed (auth drops the tenant's cached keys on every
 * replica), registered by them so this lib needs no import of libs that build on it.
 */
@Injectable()
export class TenantStatusListeners {
  private readonly logger = new Logger('Tenants');
  private readonly listeners: TenantStatusListener[] = [];

  register(listener: TenantStatusListener): void {
    this.listeners.push(listener);
  }

  /** The change is committed: a listener's failure is logged, never turned into the caller's error. */
  async notify(tenantId: TenantId, status: TenantStatus): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(tenantId, status);
      } catch (error) {
        this.logger.warn(
          `Tenant ${tenantId} (${status}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
