import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { insertEventsSql } from '@gw/events';
import { isUniqueViolation } from '@gw/persistence';
import { type TenantStatus } from './domain/tenant-status';
import { TenantRow, TenantScopeRow } from './tenant-row.entity';
import { type DelegationState, type ScopeError, type Tenant, type TenantId } from './tenant.entity';

/** A scope check's event ($5 its type, none while the check will be retried) for the `checked` CTE's row. */
const SCOPE_CHECK_EVENT_SQL = insertEventsSql(
  'checked',
  {
    tenantId: 'tenant_id',
    type: '$5::text',
    data: "jsonb_strip_nulls(jsonb_build_object('scope', scope, 'error', last_error))",
  },
  { where: '$5::text IS NOT NULL' },
);

/** A tenant as SELECT_TENANT aggregates it: its row, its scopes and its delegation state. */
interface AggregatedTenantRow {
  id: TenantId;
  org_number: string;
  name: string;
  status: TenantStatus;
  created_at: Date;
  updated_at: Date;
  scopes: { scope: string; verifiedAt: string | null; lastError: ScopeError | null }[];
  delegation: DelegationState;
}

/** What the listing can narrow by; `after` is the id of the last tenant of the previous page. */
export interface TenantFilter {
  status?: TenantStatus;
  orgNumber?: string;
  /** Part of the name, any case. */
  nameContains?: string;
  delegation?: DelegationState;
  after?: string;
  limit: number;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The tenant's delegation state from its scopes' last checks (a scope is verified, failing or not yet
 * checked; a check stores either verified_at or last_error, never both): `failing` when any scope was
 * refused, else `pending` while any is unchecked, else `verified`; `none` without scopes.
 */
const DELEGATION_STATE = `
  CASE WHEN count(s.scope) = 0 THEN 'none'
       WHEN bool_or(s.last_error IS NOT NULL) THEN 'failing'
       WHEN bool_or(s.verified_at IS NULL) THEN 'pending'
       ELSE 'verified' END`;

/** One tenant row with its scopes aggregated, timestamps as ISO strings in UTC. */
const SELECT_TENANT = `
  SELECT t.id, t.org_number, t.name, t.status, t.created_at, t.updated_at, ${DELEGATION_STATE} AS delegation,
         COALESCE(
           json_agg(json_build_object(
             'scope', s.scope,
             'verifiedAt', to_char(s.verified_at AT TIME ZONE 'UTC', ${ISO}),
             'lastError', s.last_error
           ) ORDER BY s.scope) FILTER (WHERE s.scope IS NOT NULL),
           '[]'
         ) AS scopes
    FROM tenants t
    LEFT JOIN tenant_scopes s ON s.tenant_id = t.id`;

/**
 * SQL for tenants and tenant_scopes, and the tenant events they emit into the outbox (`events`, the feed
 * webhooks read); every statement on tenant data names the tenant.
 */
@Injectable()
export class TenantRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(tenantId: TenantId, manager?: EntityManager, lock = false): Promise<Tenant | undefined> {
    const runner = manager ?? this.dataSource.manager;
    if (lock) await runner.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    // Stays SQL (as list): scopes and delegation state aggregated in the one statement that reads the tenant.
    const rows = await runner.query<AggregatedTenantRow[]>(`${SELECT_TENANT} WHERE t.id = $1 GROUP BY t.id`, [
      tenantId,
    ]);
    return rows[0] && toTenant(rows[0]);
  }

  /**
   * Keyset page by id (UUIDv7, so in creation order) of the tenants the filter selects; `limit + 1` rows
   * to tell whether more follow.
   */
  async list(filter: TenantFilter): Promise<Tenant[]> {
    // Stays SQL: filtering on the aggregated delegation state (HAVING) in one indexed keyset statement.
    const rows = await this.dataSource.query<AggregatedTenantRow[]>(
      `${SELECT_TENANT}
        WHERE ($1::text IS NULL OR t.status = $1) AND ($2::uuid IS NULL OR t.id > $2)
          AND ($3::text IS NULL OR t.org_number = $3)
          AND ($4::text IS NULL OR t.name ILIKE '%' || $4 || '%' ESCAPE '\\')
        GROUP BY t.id
       HAVING $5::text IS NULL OR ${DELEGATION_STATE} = $5
        ORDER BY t.id LIMIT $6`,
      [
        filter.status ?? null,
        filter.after ?? null,
        filter.orgNumber ?? null,
        filter.nameContains === undefined ? null : likeLiteral(filter.nameContains),
        filter.delegation ?? null,
        filter.limit + 1,
      ],
    );
    return rows.map(toTenant);
  }

  /** Inserts a tenant; false when its org number is already registered. */
  async insert(
    manager: EntityManager,
    tenant: { id: TenantId; orgNumber: string; name: string; scopes: string[] },
  ): Promise<boolean> {
    try {
      await manager.insert(TenantRow, { id: tenant.id, orgNumber: tenant.orgNumber, name: tenant.name });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    await this.addScopes(manager, tenant.id, tenant.scopes);
    return true;
  }

  async update(
    manager: EntityManager,
    tenantId: TenantId,
    changes: { name?: string; status?: TenantStatus },
  ): Promise<void> {
    // Stays SQL: COALESCE keeps what the change leaves out, without building the SET per call.
    await manager.query(
      `UPDATE tenants SET name = COALESCE($2, name), status = COALESCE($3, status), updated_at = now()
        WHERE id = $1`,
      [tenantId, changes.name ?? null, changes.status ?? null],
    );
  }

  async addScopes(manager: EntityManager, tenantId: TenantId, scopes: string[]): Promise<void> {
    if (scopes.length === 0) return;
    // Stays SQL: every scope in one statement, skipping those the tenant already has.
    await manager.query(
      'INSERT INTO tenant_scopes (tenant_id, scope) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
      [tenantId, scopes],
    );
  }

  async removeScopes(manager: EntityManager, tenantId: TenantId, scopes: string[]): Promise<void> {
    if (scopes.length === 0) return;
    await manager.delete(TenantScopeRow, { tenantId, scope: In(scopes) });
  }

  /**
   * Records a delegation check's result for one scope and its tenant event in one statement; nothing
   * when the scope was removed meanwhile.
   */
  async recordScopeCheck(
    tenantId: TenantId,
    scope: string,
    result: { verified: true } | { verified: false; error: ScopeError; retryable: boolean },
  ): Promise<void> {
    const event = result.verified ? 'delegation.verified' : result.retryable ? null : 'delegation.failed';
    // Stays SQL: the scope's result and its outbox event commit in one statement.
    await this.dataSource.query(
      `WITH checked AS (
         UPDATE tenant_scopes
            SET verified_at = CASE WHEN $3 THEN now() ELSE NULL END,
                last_error = $4::jsonb
          WHERE tenant_id = $1 AND scope = $2
         RETURNING tenant_id, scope, last_error
       )
       ${SCOPE_CHECK_EVENT_SQL}`,
      [tenantId, scope, result.verified, result.verified ? null : JSON.stringify(result.error), event],
    );
  }
}

function toTenant(row: AggregatedTenantRow): Tenant {
  return {
    id: row.id,
    orgNumber: row.org_number,
    name: row.name,
    status: row.status,
    scopes: row.scopes,
    delegation: row.delegation,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** `text` matched literally inside a LIKE pattern: its wildcards and the escape character escaped. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
