export type TenantStatus = 'active' | 'suspended' | 'offboarded';

export type TenantStatusChange =
  | { ok: true; changed: false }
  | { ok: true; changed: true; action: 'suspended' | 'resumed' | 'offboarded' }
  | { ok: false; reason: 'offboarded' };

/**
 * The tenant lifecycle: active ⇄ suspended, either → offboarded, and offboarded is final (its data is
 * kept for audit, so a former tenant cannot quietly come back).
 */
export function tenantStatusChange(current: TenantStatus, requested: TenantStatus): TenantStatusChange {
  if (current === 'offboarded') return { ok: false, reason: 'offboarded' };
  if (current === requested) return { ok: true, changed: false };
  switch (requested) {
    case 'active':
      return { ok: true, changed: true, action: 'resumed' };
    case 'suspended':
      return { ok: true, changed: true, action: 'suspended' };
    case 'offboarded':
      return { ok: true, changed: true, action: 'offboarded' };
  }
}
