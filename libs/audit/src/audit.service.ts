import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, type Page, pageOf } from '@gw/http';
import {
  type AuditDetails,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  type Caller,
} from './audit.entity';
import { actionMatch } from './domain/audit-filter';

const positionSchema = z.object({ id: z.string().regex(/^\d{1,19}$/) });

/** Rows per statement of an export: what one batch holds in memory. */
export const AUDIT_EXPORT_BATCH = 500;

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor: string;
  tenant_id: string | null;
  action: string;
  target: string | null;
  request_id: string | null;
  details: AuditDetails;
}

export interface AuditQuery extends AuditFilter {
  cursor?: string;
  limit?: number;
}

const COLUMNS = 'id, occurred_at, actor, tenant_id, action, target, request_id, details';
const INSERT = 'INSERT INTO audit_log (actor, tenant_id, action, target, request_id, details)';

/**
 * The append-only audit log (a database trigger refuses UPDATE and DELETE). Services record inside
 * their own transaction, so an action and its audit row commit or vanish together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(caller: Caller, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `${INSERT} VALUES ($1, $2, $3, $4, $5, $6)`,
      paramsOf(caller, entry),
    );
  }

  /**
   * For an action a target undergoes once (a key is revoked once): records it unless the target has
   * it already, so repeating the action records nothing. A concurrent twin is excluded only when the
   * caller's transaction has locked the target's row first (the UPDATE that revokes does): the second
   * waits for the first to commit, and this statement then sees the first's record.
   */
  async recordOnce(
    caller: Caller,
    entry: AuditEntry & { target: string },
    manager?: EntityManager,
  ): Promise<boolean> {
    const rows = await (manager ?? this.dataSource.manager).query<{ id: string }[]>(
      `WITH recorded AS (
         ${INSERT}
         SELECT $1, $2, $3, $4, $5, $6
          WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE target = $4 AND action = $3)
         RETURNING id
       ) SELECT id FROM recorded`,
      paramsOf(caller, entry),
    );
    return rows.length === 1;
  }

  /** Newest first, narrowed by the filter; the cursor is a position, so filters keep paging exact. */
  async list(query: AuditQuery): Promise<Page<AuditRecord>> {
    const limit = query.limit ?? 50;
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, positionSchema).id;
    const where = whereOf(query);
    if (before !== undefined) where.add((param) => `id < ${param}`, before);
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_log ${where.sql()} ORDER BY id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return pageOf(rows, limit, (row) => ({ id: row.id }), toRecord);
  }

  /**
   * Every record the filter selects, oldest first, in batches of `batchSize` (one indexed statement
   * each), up to the newest record when the export started: memory holds one batch however long the
   * log, and records written meanwhile do not keep it running. The first batch is read before this
   * resolves, so a database that is away fails the request instead of cutting a stream.
   */
  async exportBatches(
    filter: AuditFilter,
    batchSize = AUDIT_EXPORT_BATCH,
  ): Promise<AsyncIterable<AuditRecord[]>> {
    const [{ last }] = await this.dataSource.query<{ last: string }[]>(
      'SELECT COALESCE(max(id), 0)::text AS last FROM audit_log',
    );
    const first = await this.batchAfter(filter, '0', last, batchSize);
    return this.batchesFrom(filter, first, last, batchSize);
  }

  private async *batchesFrom(
    filter: AuditFilter,
    first: AuditRow[],
    last: string,
    batchSize: number,
  ): AsyncGenerator<AuditRecord[]> {
    let batch = first;
    while (batch.length > 0) {
      yield batch.map(toRecord);
      if (batch.length < batchSize) return;
      batch = await this.batchAfter(filter, batch[batch.length - 1].id, last, batchSize);
    }
  }

  private batchAfter(
    filter: AuditFilter,
    after: string,
    last: string,
    batchSize: number,
  ): Promise<AuditRow[]> {
    const where = whereOf(filter);
    where.add((param) => `id > ${param}`, after);
    where.add((param) => `id <= ${param}`, last);
    return this.dataSource.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_log ${where.sql()} ORDER BY id LIMIT ${where.param(batchSize)}`,
      where.params,
    );
  }
}

function paramsOf(caller: Caller, entry: AuditEntry): unknown[] {
  return [
    caller.actor,
    entry.tenantId ?? null,
    entry.action,
    entry.target ?? null,
    caller.requestId ?? null,
    JSON.stringify(entry.details ?? {}),
  ];
}

/**
 * The WHERE clause of a filter, naming only the filters given: each condition then matches an index
 * (tenant_id, actor, action and target lead one each, with id; occurred_at has a BRIN index).
 */
function whereOf(filter: AuditFilter) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const add = (condition: (param: string) => string, value: unknown): void => {
    conditions.push(condition(param(value)));
  };
  if (filter.tenantId !== undefined) add((p) => `tenant_id = ${p}`, filter.tenantId);
  if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
  if (filter.action !== undefined) {
    const match = actionMatch(filter.action);
    if (match.kind === 'exact') add((p) => `action = ${p}`, match.action);
    else add((p) => `action LIKE ${p}`, match.likePattern);
  }
  if (filter.target !== undefined) add((p) => `target = ${p}`, filter.target);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at < ${p}`, filter.to);
  return {
    params,
    param,
    add,
    sql: () => (conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`),
  };
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actor: row.actor,
    tenantId: row.tenant_id,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    details: row.details,
  };
}
