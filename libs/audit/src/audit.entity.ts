/** Who acted: an admin key's fingerprint (`admin:<hash>`), a tenant key's prefix, or a process (`worker`). */
export interface Caller {
  actor: string;
  /** The HTTP request id or job id the action ran under. */
  requestId?: string;
}

/** `<noun>.<verb>`, e.g. `tenant.created`, `api_key.revoked`. */
export type AuditAction = `${string}.${string}`;

/** Scalar facts about an action; never a token, key, secret or fødselsnummer. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

export interface AuditEntry {
  tenantId?: string;
  action: AuditAction;
  /** What the action was done to, e.g. `api_key:<id>`. */
  target?: string;
  details?: AuditDetails;
}

/** Which records a listing or an export returns; every field narrows, none is required. */
export interface AuditFilter {
  tenantId?: string;
  actor?: string;
  /** Exact, or a prefix ending in a dot: `webhook_endpoint.` is every action on webhook endpoints. */
  action?: string;
  target?: string;
  /** occurredAt ≥ from. */
  from?: Date;
  /** occurredAt < to. */
  to?: Date;
}

/** One row of the append-only audit log. */
export interface AuditRecord {
  id: string;
  occurredAt: string;
  actor: string;
  tenantId: string | null;
  action: string;
  target: string | null;
  requestId: string | null;
  details: AuditDetails;
}
