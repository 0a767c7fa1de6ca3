/**
 * The tenant registry as other libs' statements read it, for a join that must stay in their one statement
 * (the API key lookup, a submission's consent, the webhook relay's fan-out): each tenant's `id`,
 * `org_number` and `status`. Postgres pulls the subquery up, so the join plans as one on the table. Only
 * libs/tenants spells the tenants table.
 */
export const TENANT_REGISTRY_SQL = '(SELECT id, org_number, status FROM tenants)';
