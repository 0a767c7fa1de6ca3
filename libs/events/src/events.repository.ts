import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type EventType, type FeedEvent } from './event-types';

interface EventRow {
  id: string;
  type: EventType;
  occurred_at: Date;
  consent_request_id: string | null;
  data: Record<string, unknown>;
}

export interface NewEvent {
  tenantId: string;
  type: EventType;
  consentRequestId?: string;
  data?: Record<string, unknown>;
}

/**
 * The outbox (DESIGN flow 5): every state change writes its event row in the same transaction, and the
 * tenant's feed reads them in id order. Writers that change state in one statement embed
 * {@link EventsRepository.insertSql} as a CTE instead of calling {@link EventsRepository.append}.
 */
@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event inside the caller's transaction. */
  async append(manager: EntityManager, event: NewEvent): Promise<void> {
    await manager.query(
      'INSERT INTO events (tenant_id, type, consent_request_id, data) VALUES ($1, $2, $3, $4)',
      [event.tenantId, event.type, event.consentRequestId ?? null, JSON.stringify(event.data ?? {})],
    );
  }

  /**
   * The tenant's events after the cursor `after` (an event id; 0 for the start), oldest first.
   * Reads only ids below the oldest transaction still writing events, so a late commit of a lower id
   * can never be skipped by a consumer that already moved past it.
   */
  async feed(tenantId: string, after: string, limit: number): Promise<FeedEvent[]> {
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT id::text, type, occurred_at, consent_request_id, data
         FROM events
        WHERE tenant_id = $1 AND id > $2::bigint
          AND txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY id
        LIMIT $3`,
      [tenantId, after, limit],
    );
    return rows.map(toFeedEvent);
  }

  /** Events with ids above `after` across all tenants, for the relay to fan out (webhooks). */
  async since(after: string, limit: number): Promise<(FeedEvent & { tenantId: string })[]> {
    const rows = await this.dataSource.query<(EventRow & { tenant_id: string })[]>(
      `SELECT id::text, tenant_id, type, occurred_at, consent_request_id, data
         FROM events
        WHERE id > $1::bigint
          AND txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY id
        LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({ ...toFeedEvent(row), tenantId: row.tenant_id }));
  }
}

function toFeedEvent(row: EventRow): FeedEvent {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    consentRequestId: row.consent_request_id,
    data: row.data,
  };
}
