export type TenantAccess = { ok: true } | { ok: false; reason: 'suspended' | 'offboarded' };

/** Whether a tenant's valid key may call `/v1`: a suspended tenant is known but barred (403). */
export function tenantAccess(status: 'active' | 'suspended' | 'offboarded'): TenantAccess {
  switch (status) {
    case 'active':
      return { ok: true };
    case 'suspended':
      return { ok: false, reason: 'suspended' };
    case 'offboarded':
      return { ok: false, reason: 'offboarded' };
  }
}
