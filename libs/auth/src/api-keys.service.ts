import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, type Caller } from '@gw/audit';
import { inTransaction, isUniqueViolation } from '@gw/persistence';
import { TenantOffboardingHooks, type TenantId, TenantStatusListeners, TenantsService } from '@gw/tenants';
import { ApiKeyCredentials } from './api-key-credentials';
import { type ApiKey, type IssuedApiKey, type TenantPrincipal } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { AuthError } from './auth.errors';
import { digestsEqual, generateApiKey, hashApiKey, parseApiKey } from './domain/api-key';
import { tenantAccess } from './domain/tenant-access';
import { LastUsedRecorder } from './last-used-recorder';

/** Compared against when no key has the prefix, so unknown and wrong keys take the same work. */
const NO_KEY_DIGEST = hashApiKey('no key has this prefix');

/** Tenant API keys: issue (shown once), list, revoke, and authenticate a presented key. */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeyRepository,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly offboarding: TenantOffboardingHooks,
    private readonly statusChanges: TenantStatusListeners,
    private readonly credentials: ApiKeyCredentials,
    private readonly lastUsed: LastUsedRecorder,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  onModuleInit(): void {
    // Suspend, resume and offboard (whose hook below revoked the keys) reach every replica's cache.
    this.statusChanges.register((tenantId) => this.credentials.invalidateTenant(tenantId));
    // Offboarding revokes every key in the offboarding transaction.
    this.offboarding.register(async (caller, tenantId, manager) => {
      const revoked = await this.keys.revokeAll(manager, tenantId);
      for (const keyId of revoked) {
        await this.audit.record(
          caller,
          {
            tenantId,
            action: 'api_key.revoked',
            target: `api_key:${keyId}`,
            details: { reason: 'offboarded' },
          },
          manager,
        );
      }
    });
  }

  /** A new key for the tenant; the returned `key` is the only copy anywhere. */
  async issue(caller: Caller, tenantId: TenantId, input: { name: string }): Promise<IssuedApiKey> {
    const tenant = await this.tenants.get(tenantId);
    if (tenant.status === 'offboarded') {
      throw new AuthError('auth.tenant_not_active', `Tenant ${tenantId} is offboarded; it gets no keys`);
    }
    for (let attempt = 1; ; attempt += 1) {
      const { key, prefix } = generateApiKey(this.options.keyEnvironment);
      try {
        return await inTransaction(this.dataSource, async (manager) => {
          const stored = await this.keys.insert(manager, {
            id: randomUUID(),
            tenantId,
            prefix,
            hash: hashApiKey(key),
            name: input.name,
            createdBy: caller.actor,
          });
          await this.audit.record(
            caller,
            {
              tenantId,
              action: 'api_key.issued',
              target: `api_key:${stored.id}`,
              details: { prefix, name: input.name },
            },
            manager,
          );
          return { ...stored, key };
        });
      } catch (error) {
        // 47 bits of prefix make a clash rare, not impossible: draw again.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  async list(tenantId: TenantId): Promise<ApiKey[]> {
    await this.tenants.get(tenantId);
    await this.lastUsed.settled();
    return this.keys.list(tenantId);
  }

  /** Revokes a key of this tenant; a key of another tenant is as unknown as a key that never existed. */
  async revoke(caller: Caller, tenantId: TenantId, keyId: string): Promise<ApiKey> {
    const revoked = await inTransaction(this.dataSource, async (manager) => {
      const key = await this.keys.revoke(manager, tenantId, keyId);
      if (!key) throw new AuthError('auth.api_key_not_found', `Tenant ${tenantId} has no API key ${keyId}`);
      // Revoking a revoked key changes nothing: only the first revocation is recorded.
      await this.audit.recordOnce(
        caller,
        { tenantId, action: 'api_key.revoked', target: `api_key:${keyId}`, details: { prefix: key.prefix } },
        manager,
      );
      return key;
    });
    await this.credentials.invalidateKey(revoked.prefix);
    return revoked;
  }

  /**
   * The tenant a presented key belongs to, or an `AuthError` (401, or 403 for a suspended tenant). A key
   * in the credential cache costs no Postgres statement; its last use is written at most once a minute.
   */
  async authenticate(presented: string | undefined): Promise<TenantPrincipal> {
    if (presented === undefined) {
      throw new AuthError('auth.missing_credentials', 'An API key is required: Authorization: Bearer sgw_…');
    }
    const parsed = parseApiKey(presented);
    if (!parsed || parsed.environment !== this.options.keyEnvironment) throw invalidKey();
    const credential = await this.credentials.find(parsed.prefix);
    const matches = digestsEqual(hashApiKey(presented), credential?.hash ?? NO_KEY_DIGEST);
    if (!credential || !matches || credential.revoked) throw invalidKey();
    const access = tenantAccess(credential.tenantStatus);
    if (!access.ok) {
      if (access.reason === 'suspended') {
        throw new AuthError('auth.tenant_suspended', 'The tenant is suspended; contact the gateway operator');
      }
      throw invalidKey();
    }
    this.lastUsed.record(credential.tenantId, credential.id);
    return {
      tenantId: credential.tenantId,
      orgNumber: credential.orgNumber,
      keyId: credential.id,
      keyPrefix: credential.prefix,
    };
  }
}

function invalidKey(): AuthError {
  return new AuthError('auth.invalid_credentials', 'The API key is not valid');
}
