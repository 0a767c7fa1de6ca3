import { type EntityManager } from 'typeorm';
import { type FakeDataSource, InMemoryTable, settled } from '@gw/persistence/testing';
import { asTenantId, type TenantId } from '@gw/tenants';
import { type FakeTenantRepository } from '@gw/tenants/testing';
import { type ApiKeyCredentials } from '../src/api-key-credentials';
import { type ApiKey } from '../src/api-key.entity';
import { type ApiKeyCredential, type ApiKeyRepository } from '../src/api-key.repository';

interface StoredKey extends ApiKey {
  hash: Buffer;
}

/**
 * `api_keys` in memory, joined with the fake tenants for the login lookup as the real query joins
 * `tenants`. `prefixClashes` makes that many next inserts fail as a duplicate prefix would.
 */
export class FakeApiKeyRepository implements Pick<
  ApiKeyRepository,
  'insert' | 'list' | 'revoke' | 'revokeAll' | 'findCredential' | 'touch'
> {
  private readonly table = new InMemoryTable<StoredKey>();
  prefixClashes = 0;

  constructor(
    private readonly db: FakeDataSource,
    private readonly tenants: FakeTenantRepository,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.register(this.table);
  }

  /** Every key of every tenant, hashes included: what a test checks was never stored. */
  get stored(): StoredKey[] {
    return this.table.values();
  }

  insert(
    manager: EntityManager,
    key: { id: string; tenantId: TenantId; prefix: string; hash: Buffer; name: string; createdBy: string },
  ): Promise<ApiKey> {
    return settled(() => {
      this.db.assertOpen(manager);
      if (this.prefixClashes > 0 || this.stored.some((stored) => stored.prefix === key.prefix)) {
        this.prefixClashes = Math.max(0, this.prefixClashes - 1);
        throw Object.assign(new Error('duplicate key value violates unique constraint'), {
          driverError: { code: '23505' },
        });
      }
      const stored: StoredKey = {
        ...key,
        createdAt: this.now().toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      };
      this.table.set(key.id, stored);
      return publicOf(stored);
    });
  }

  list(tenantId: TenantId): Promise<ApiKey[]> {
    return Promise.resolve(this.stored.filter((key) => key.tenantId === tenantId).map(publicOf));
  }

  revoke(manager: EntityManager, tenantId: TenantId, keyId: string): Promise<ApiKey | undefined> {
    return settled(() => {
      this.db.assertOpen(manager);
      const key = this.table.get(keyId);
      if (!key || key.tenantId !== tenantId) return undefined;
      const revoked = { ...key, revokedAt: key.revokedAt ?? this.now().toISOString() };
      this.table.set(keyId, revoked);
      return publicOf(revoked);
    });
  }

  revokeAll(manager: EntityManager, tenantId: TenantId): Promise<string[]> {
    return settled(() => {
      this.db.assertOpen(manager);
      const live = this.stored.filter((key) => key.tenantId === tenantId && key.revokedAt === null);
      for (const key of live) this.table.set(key.id, { ...key, revokedAt: this.now().toISOString() });
      return live.map((key) => key.id);
    });
  }

  async findCredential(prefix: string): Promise<ApiKeyCredential | undefined> {
    const key = this.stored.find((stored) => stored.prefix === prefix);
    const tenant = key && (await this.tenants.find(key.tenantId));
    return (
      key &&
      tenant && {
        id: key.id,
        tenantId: asTenantId(key.tenantId),
        prefix: key.prefix,
        hash: key.hash,
        revoked: key.revokedAt !== null,
        tenantStatus: tenant.status,
        orgNumber: tenant.orgNumber,
      }
    );
  }

  touch(tenantId: TenantId, keyId: string): Promise<void> {
    const key = this.table.get(keyId);
    if (key && key.tenantId === tenantId)
      this.table.set(keyId, { ...key, lastUsedAt: this.now().toISOString() });
    return Promise.resolve();
  }

  asApiKeyRepository(): ApiKeyRepository {
    return this as unknown as ApiKeyRepository;
  }
}

/**
 * The credential cache without Redis: a credential once read is served until it is invalidated, so a
 * revocation or status change that forgot to invalidate shows as a key still accepted.
 */
export class FakeApiKeyCredentials implements Pick<
  ApiKeyCredentials,
  'find' | 'invalidateKey' | 'invalidateTenant'
> {
  private readonly cache = new Map<string, ApiKeyCredential | undefined>();

  constructor(private readonly keys: FakeApiKeyRepository) {}

  async find(prefix: string): Promise<ApiKeyCredential | undefined> {
    if (!this.cache.has(prefix)) this.cache.set(prefix, await this.keys.findCredential(prefix));
    return this.cache.get(prefix);
  }

  invalidateKey(prefix: string): Promise<void> {
    this.cache.delete(prefix);
    return Promise.resolve();
  }

  invalidateTenant(tenantId: TenantId): Promise<void> {
    for (const [prefix, credential] of this.cache) {
      if (credential?.tenantId === tenantId) this.cache.delete(prefix);
    }
    return Promise.resolve();
  }

  asApiKeyCredentials(): ApiKeyCredentials {
    return this as unknown as ApiKeyCredentials;
  }
}

function publicOf(key: StoredKey): ApiKey {
  return {
    id: key.id,
    tenantId: key.tenantId,
    prefix: key.prefix,
    name: key.name,
    createdBy: key.createdBy,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}
