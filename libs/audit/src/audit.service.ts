import { Injectable } from '@nestjs/common';
import {
  And,
  DataSource,
  type EntityManager,
  type FindOperator,
  type FindOptionsWhere,
  LessThan,
  LessThanOrEqual,
  Like,
  MoreThan,
  MoreThanOrEqual,
  type Repository,
} from 'typeorm';
import { z } from 'zod';
import { decodeCursor, type Page, pageOf } from '@gw/http';
import { AuditLogRow } from './audit-log-row.entity';
import { type AuditEntry, type AuditFilter, type AuditRecord, type Caller } from './audit.entity';
import { actionMatch } from './domain/audit-filter';

const positionSchema = z.object({ id: z.string().regex(/^\d{1,19}$/) });

/** Rows per statement of an export: what one batch holds in memory. */
export const AUDIT_EXPORT_BATCH = 500;

export interface AuditQuery extends AuditFilter {
  cursor?: string;
  limit?: number;
}

const INSERT = 'INSERT INTO audit_log (actor, tenant_id, action, target, request_id, details)';

/**
 * The append-only audit log (a database trigger refuses UPDATE and DELETE). Services record inside
 * their own transaction, so an action and its audit row commit or vanish together.
 */
@Injectable()
export class AuditService {
  private readonly rows: Repository<AuditLogRow>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(AuditLogRow);
  }

  async record(caller: Caller, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    // Stays SQL: the same INSERT as recordOnce, whose insert-unless-recorded must be one statement.
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
    // Stays SQL: the check and the insert in one statement, so a twin waiting on the lock sees the record.
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
    const rows = await this.rows.find({
      where: whereOf(query, before === undefined ? undefined : LessThan(before)),
      order: { id: 'DESC' },
      take: limit + 1,
    });
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
    // Stays SQL: max(id) as text, where TypeORM's maximum() would pass a bigint through a JS number.
    const [{ last }] = await this.dataSource.query<{ last: string }[]>(
      'SELECT COALESCE(max(id), 0)::text AS last FROM audit_log',
    );
    const first = await this.batchAfter(filter, '0', last, batchSize);
    return this.batchesFrom(filter, first, last, batchSize);
  }

  private async *batchesFrom(
    filter: AuditFilter,
    first: AuditLogRow[],
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
  ): Promise<AuditLogRow[]> {
    return this.rows.find({
      where: whereOf(filter, And(MoreThan(after), LessThanOrEqual(last))),
      order: { id: 'ASC' },
      take: batchSize,
    });
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
 * The conditions of a filter, naming only the filters given (TypeORM refuses an undefined value): each
 * then matches an index (tenant_id, actor, action and target lead one each, with id; occurred_at has a
 * BRIN index).
 */
function whereOf(filter: AuditFilter, id: FindOperator<string> | undefined): FindOptionsWhere<AuditLogRow> {
  const where: FindOptionsWhere<AuditLogRow> = {};
  if (id !== undefined) where.id = id;
  if (filter.tenantId !== undefined) where.tenantId = filter.tenantId;
  if (filter.actor !== undefined) where.actor = filter.actor;
  if (filter.action !== undefined) {
    const match = actionMatch(filter.action);
    where.action = match.kind === 'exact' ? match.action : Like(match.likePattern);
  }
  if (filter.target !== undefined) where.target = filter.target;
  const from = filter.from && MoreThanOrEqual(filter.from);
  const to = filter.to && LessThan(filter.to);
  if (from && to) where.occurredAt = And(from, to);
  else if (from ?? to) where.occurredAt = from ?? to;
  return where;
}

function toRecord(row: AuditLogRow): AuditRecord {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    tenantId: row.tenantId,
    action: row.action,
    target: row.target,
    requestId: row.requestId,
    details: row.details,
  };
}
