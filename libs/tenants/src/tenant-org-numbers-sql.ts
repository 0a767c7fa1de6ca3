/**
 * A query for the org number of each tenant among `tenantIds` (an SQL expression of a uuid array, e.g.
 * `$1`), as rows `(tenant_id, org_number)`, for another lib's statement that needs them without a round
 * trip of its own (the webhook relay's fan-out, inside the sequencer's transaction). Only libs/tenants
 * spells the tenants table.
 */
export function tenantOrgNumbersSql(tenantIds: string): string {
  return `SELECT id AS tenant_id, org_number FROM tenants WHERE id = ANY(${tenantIds}::uuid[])`;
}
