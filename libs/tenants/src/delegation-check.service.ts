import { Inject, Injectable } from '@nestjs/common';
import { delegationFailure } from './domain/delegation-outcome';
import { TenantRepository } from './tenant.repository';
import { type TenantId } from './tenant.entity';
import { TenantsError } from './tenants.errors';

/** A token request as the delegation check makes it: one scope, for the tenant as `consumer_org`. */
export interface DelegationTokenRequest {
  scopes: readonly string[];
  consumerOrg?: string;
}

/**
 * What the check needs from a token service: `MaskinportenTokenService` fits as it is. Declared here so
 * this lib does not import the maskinporten lib, which sits above it.
 */
export interface DelegationTokenSource {
  accessToken(request: DelegationTokenRequest): Promise<unknown>;
  /** Drops a cached token, so a check asks Maskinporten afresh instead of trusting an old answer. */
  invalidate(request: DelegationTokenRequest): Promise<void>;
}

export const DELEGATION_TOKEN_SOURCE = Symbol('DELEGATION_TOKEN_SOURCE');

export interface DelegationCheckResult {
  tenantId: TenantId;
  verified: string[];
  failed: { scope: string; code: string }[];
  /** Set when the tenant is offboarded and was not checked. */
  skipped?: 'offboarded';
}

/** Runs in the worker: asks Maskinporten for a token per delegated scope and records what it says. */
@Injectable()
export class DelegationCheckService {
  constructor(
    private readonly tenants: TenantRepository,
    @Inject(DELEGATION_TOKEN_SOURCE) private readonly tokens: DelegationTokenSource,
  ) {}

  /**
   * Checks every scope of the tenant. `consumer_org` is the org number read here from the registry,
   * never a value from a job or request (docs/architecture.md "Tenant isolation"). Throws
   * `tenants.delegation_check_incomplete` after recording when Maskinporten could not be reached for
   * some scope, so the job is retried.
   */
  async checkDelegation(
    tenantId: TenantId,
    now: () => Date = () => new Date(),
  ): Promise<DelegationCheckResult> {
    const tenant = await this.tenants.find(tenantId);
    if (!tenant) throw new TenantsError('tenants.not_found', `No tenant ${tenantId}`);
    const result: DelegationCheckResult = { tenantId, verified: [], failed: [] };
    if (tenant.status === 'offboarded') return { ...result, skipped: 'offboarded' };
    let retryable = 0;
    for (const { scope } of tenant.scopes) {
      const request = { scopes: [scope], consumerOrg: tenant.orgNumber };
      try {
        await this.tokens.invalidate(request);
        await this.tokens.accessToken(request);
        await this.tenants.recordScopeCheck(tenantId, scope, { verified: true });
        result.verified.push(scope);
      } catch (error) {
        const failure = delegationFailure(error);
        await this.tenants.recordScopeCheck(tenantId, scope, {
          verified: false,
          error: { code: failure.code, message: failure.message, checkedAt: now().toISOString() },
          retryable: failure.retryable,
        });
        result.failed.push({ scope, code: failure.code });
        if (failure.retryable) retryable += 1;
      }
    }
    if (retryable > 0) {
      throw new TenantsError(
        'tenants.delegation_check_incomplete',
        `Maskinporten could not be reached for ${retryable} scope(s) of tenant ${tenantId}`,
      );
    }
    return result;
  }
}
