import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, type Page, pageOf } from '@gw/http';
import { type AuditDetails, type AuditEntry, type AuditRecord, type Caller } from './audit.entity';

const positionSchema = z.object({ id: z.string().regex(/^\d{1,19}$/) });

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

export interface AuditQuery {
  tenantId?: string;
  cursor?: string;
  limit?: number;
}

/**
 * The append-only audit log (a database trigger refuses UPDATE and DELETE). Services record inside
 * their own transaction, so an action and its audit row commit or vanish together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(caller: Caller, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (actor, tenant_id, action, target, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        caller.actor,
        entry.tenantId ?? null,
        entry.action,
        entry.target ?? null,
        caller.requestId ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  /** Newest first, optionally for one tenant. */
  async list(query: AuditQuery): Promise<Page<AuditRecord>> {
    const limit = query.limit ?? 50;
    const before = query.cursor === undefined ? null : decodeCursor(query.cursor, positionSchema).id;
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id, occurred_at, actor, tenant_id, action, target, request_id, details
         FROM audit_log
        WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC
        LIMIT $3`,
      [query.tenantId ?? null, before, limit + 1],
    );
    return pageOf(rows, limit, (row) => ({ id: row.id }), toRecord);
  }
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
