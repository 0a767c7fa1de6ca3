import { randomBytes } from 'node:crypto';
import { type TenantStatus } from './domain/tenant-status';

/** A tenant's id; tenant-owned data is only ever queried with one (STYLE rule 4). */
export type TenantId = string & { readonly __brand: 'TenantId' };

/** Brands a string already checked to be a tenant id (from the registry or a validated route parameter). */
export function asTenantId(value: string): TenantId {
  return value as TenantId;
}

/** RFC 9562 UUIDv7: time-ordered, so keyset pagination by id follows creation order. */
export function newTenantId(now: number = Date.now()): TenantId {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return asTenantId(
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  );
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

export interface Tenant {
  id: TenantId;
  orgNumber: string;
  name: string;
  status: TenantStatus;
  scopes: TenantScope[];
  createdAt: string;
  updatedAt: string;
}
