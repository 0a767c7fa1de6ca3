export { TenantsModule, DelegationCheckModule, type DelegationCheckModuleOptions } from './tenants.module';
export { TenantsService } from './tenants.service';
export {
  DelegationCheckService,
  DELEGATION_TOKEN_SOURCE,
  type DelegationCheckResult,
  type DelegationTokenRequest,
  type DelegationTokenSource,
} from './delegation-check.service';
export { TenantOffboardingHooks, type OffboardingHook } from './tenant-offboarding';
export { TenantStatusListeners, type TenantStatusListener } from './tenant-status-listeners';
// TenantId lives in @gw/identifiers, below the queue lib whose job payloads carry one; re-exported here for
// the registry's users.
export { asTenantId, type TenantId } from '@gw/identifiers';
export {
  newTenantId,
  DELEGATION_STATES,
  type DelegationState,
  type Tenant,
  type TenantScope,
  type ScopeError,
} from './tenant.entity';
export { TenantRow, TenantScopeRow, TENANTS_ENTITIES } from './tenant-row.entity';
export { TENANT_REGISTRY_SQL } from './tenant-registry-sql';
export { TenantsError, type TenantsErrorCode } from './tenants.errors';
export {
  createTenantSchema,
  updateTenantSchema,
  tenantIdSchema,
  listTenantsQuerySchema,
  tenantResponseSchema,
  delegationCheckResponseSchema,
  orgNumberSchema,
  scopeSchema,
  type CreateTenantInput,
  type UpdateTenantInput,
  type ListTenantsQuery,
} from './tenants.schemas';
export { tenantStatusChange, type TenantStatus, type TenantStatusChange } from './domain/tenant-status';
