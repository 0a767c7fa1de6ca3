import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { asTenantId, type TenantId } from '@gw/tenants';
import { type ApiKey } from './api-key.entity';

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  prefix: string;
  name: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ApiKeyCredential {
  id: string;
  tenantId: TenantId;
  prefix: string;
  hash: Buffer;
  revoked: boolean;
  tenantStatus: 'active' | 'suspended' | 'offboarded';
  orgNumber: string;
}

const COLUMNS = 'id, tenant_id, prefix, name, created_by, created_at, last_used_at, revoked_at';
/** As LAST_USED_RESOLUTION_MS: replicas that each write once a minute still write once a minute together. */
const LAST_USED_RESOLUTION = "interval '60 seconds'";

/** SQL for api_keys; every statement but the login lookup is filtered by the tenant. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    key: { id: string; tenantId: TenantId; prefix: string; hash: Buffer; name: string; createdBy: string },
  ): Promise<ApiKey> {
    const rows = await manager.query<ApiKeyRow[]>(
      `INSERT INTO api_keys (id, tenant_id, prefix, hash, name, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [key.id, key.tenantId, key.prefix, key.hash, key.name, key.createdBy],
    );
    return toApiKey(rows[0]);
  }

  async list(tenantId: TenantId): Promise<ApiKey[]> {
    const rows = await this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toApiKey);
  }

  /** Revokes one key of the tenant (a no-op for one already revoked); undefined when it has no such key. */
  async revoke(manager: EntityManager, tenantId: TenantId, keyId: string): Promise<ApiKey | undefined> {
    const rows = await manager.query<ApiKeyRow[]>(
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
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
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
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_RESOLUTION})`,
      [tenantId, keyId],
    );
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    tenantId: asTenantId(row.tenant_id),
    prefix: row.prefix,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
