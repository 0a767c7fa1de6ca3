import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { asTenantId, TENANT_REGISTRY_SQL, type TenantId } from '@gw/tenants';
import { ApiKeyRow } from './api-key-row.entity';
import { type ApiKey } from './api-key.entity';

/** A key's row without its hash, which the entity never selects. */
type ApiKeyListing = Omit<ApiKeyRow, 'hash'>;

export interface ApiKeyCredential {
  id: string;
  tenantId: TenantId;
  prefix: string;
  hash: Buffer;
  revoked: boolean;
  tenantStatus: 'active' | 'suspended' | 'offboarded';
  orgNumber: string;
}

/** The entity's columns under its property names, so RETURNING rows have the entity's shape. */
const COLUMNS = `id, tenant_id AS "tenantId", prefix, name, created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;
/** As LAST_USED_RESOLUTION_MS: replicas that each write once a minute still write once a minute together. */
const LAST_USED_RESOLUTION = "interval '60 seconds'";

/** SQL for api_keys; every statement but the login lookup is filtered by the tenant. */
@Injectable()
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyRow>;

  constructor(private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyRow);
  }

  async insert(
    manager: EntityManager,
    key: { id: string; tenantId: TenantId; prefix: string; hash: Buffer; name: string; createdBy: string },
  ): Promise<ApiKey> {
    // Stays SQL: RETURNING hands back the row with its defaults in the same statement.
    const rows = await manager.query<ApiKeyListing[]>(
      `INSERT INTO api_keys (id, tenant_id, prefix, hash, name, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [key.id, key.tenantId, key.prefix, key.hash, key.name, key.createdBy],
    );
    return toApiKey(rows[0]);
  }

  async list(tenantId: TenantId): Promise<ApiKey[]> {
    const rows = await this.keys.find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toApiKey);
  }

  /** Revokes one key of the tenant (a no-op for one already revoked); undefined when it has no such key. */
  async revoke(manager: EntityManager, tenantId: TenantId, keyId: string): Promise<ApiKey | undefined> {
    // Stays SQL: revokes at most once and returns the row in one statement.
    const rows = await manager.query<ApiKeyListing[]>(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
          WHERE tenant_id = $1 AND id = $2
         RETURNING ${COLUMNS}
       ) SELECT * FROM revoked`,
      [tenantId, keyId],
    );
    return rows[0] && toApiKey(rows[0]);
  }

  /** Revokes every live key of the tenant; returns their ids. */
  async revokeAll(manager: EntityManager, tenantId: TenantId): Promise<string[]> {
    // Stays SQL: the ids of exactly the keys this statement revoked, from RETURNING.
    const rows = await manager.query<{ id: string }[]>(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL RETURNING id
       ) SELECT id FROM revoked`,
      [tenantId],
    );
    return rows.map((row) => row.id);
  }

  /** The login lookup: by the public prefix, before any tenant is known. */
  async findCredential(prefix: string): Promise<ApiKeyCredential | undefined> {
    // Stays SQL: every tenant request's lookup, the key and its tenant's state in one indexed read.
    const rows = await this.dataSource.query<
      {
        id: string;
        tenant_id: string;
        prefix: string;
        hash: Buffer;
        revoked: boolean;
        status: string;
        org_number: string;
      }[]
    >(
      `SELECT k.id, k.tenant_id, k.prefix, k.hash, k.revoked_at IS NOT NULL AS revoked, t.status, t.org_number
         FROM api_keys k JOIN ${TENANT_REGISTRY_SQL} t ON t.id = k.tenant_id
        WHERE k.prefix = $1`,
      [prefix],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        tenantId: asTenantId(row.tenant_id),
        prefix: row.prefix,
        hash: row.hash,
        revoked: row.revoked,
        tenantStatus: row.status as ApiKeyCredential['tenantStatus'],
        orgNumber: row.org_number,
      }
    );
  }

  async touch(tenantId: TenantId, keyId: string): Promise<void> {
    // Stays SQL: on the request path, and the time guard makes most calls write nothing.
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_RESOLUTION})`,
      [tenantId, keyId],
    );
  }
}

function toApiKey(row: ApiKeyListing): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenantId,
    prefix: row.prefix,
    name: row.name,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
