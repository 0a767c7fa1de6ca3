import { z } from 'zod';

/**
 * A tenant's id; tenant-owned data is only ever queried with one. It lives here, below every lib that
 * carries one (the queue's job payloads, the tenant registry), so each can name it without importing the
 * registry.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };

/** Brands a string already checked to be a tenant id (from the registry or a validated route parameter). */
export function asTenantId(value: string): TenantId {
  return value as TenantId;
}

/** A tenant id from outside (a job payload, a parameter): a UUID, branded once it is one. */
export const tenantIdSchema = z.uuid('must be a tenant id (UUID)').max(36).transform(asTenantId);
