import { type TenantScope } from '../tenant.entity';
import { type TenantStatus } from './tenant-status';

/**
 * Codes a delegation check records when it could not ask at all (Maskinporten or KMS away): the
 * check is still owed. Every other code is Maskinporten's answer about the delegation itself.
 */
const UNFINISHED_CHECK_CODES: ReadonlySet<string> = new Set([
  'maskinporten.unavailable',
  'signing.unavailable',
]);

/**
 * Whether a tenant still waits for a delegation check: a scope never checked (its check is queued
 * or was lost with Redis), or one whose last check could not reach Maskinporten (its job retries).
 */
export function delegationCheckOwed(tenant: {
  status: TenantStatus;
  scopes: readonly TenantScope[];
}): boolean {
  if (tenant.status === 'offboarded') return false;
  return tenant.scopes.some(
    (scope) =>
      scope.verifiedAt === null &&
      (scope.lastError === null || UNFINISHED_CHECK_CODES.has(scope.lastError.code)),
  );
}
