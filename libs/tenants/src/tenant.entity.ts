import { uuidV7 } from '@gw/persistence';
import { type TenantStatus } from './domain/tenant-status';

import { asTenantId, type TenantId } from '@gw/identifiers';

export { asTenantId, type TenantId };

/** A new tenant id: a UUIDv7, so keyset pagination by id follows creation order. */
export function newTenantId(now: number = Date.now()): TenantId {
  return asTenantId(uuidV7(now));
}

/** The last delegation check's refusal of a scope. */
export interface ScopeError {
  code: string;
  message: string;
  checkedAt: string;
}

/** A scope the tenant delegated to the provider in Altinn, as the last delegation check saw it. */
export interface TenantScope {
  scope: string;
  verifiedAt: string | null;
  lastError: ScopeError | null;
}

/** The delegation states a tenant can be in, as its scopes' last checks add up. */
export const DELEGATION_STATES = ['verified', 'failing', 'pending', 'none'] as const;

/**
 * `failing`: some scope was refused at the last check; `pending`: none refused, some not checked yet;
 * `verified`: every scope got a token; `none`: the tenant has no scopes.
 */
export type DelegationState = (typeof DELEGATION_STATES)[number];

export interface Tenant {
  id: TenantId;
  orgNumber: string;
  name: string;
  status: TenantStatus;
  scopes: TenantScope[];
  delegation: DelegationState;
  createdAt: string;
  updatedAt: string;
}
