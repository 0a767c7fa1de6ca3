import { DomainError } from '@gw/http';

/** Stable codes of the tenants lib; the gateway's problem table maps each to an HTTP status. */
export type TenantsErrorCode =
  | 'tenants.not_found'
  | 'tenants.duplicate_org_number'
  | 'tenants.invalid_org_number'
  | 'tenants.offboarded'
  /** The delegation check could not reach Maskinporten for some scope; the job retries. */
  | 'tenants.delegation_check_incomplete'
  /** The check could not be queued (Redis down); nothing was recorded. */
  | 'tenants.delegation_check_not_queued';

export class TenantsError extends DomainError<TenantsErrorCode> {
  override readonly name = 'TenantsError';
}
