import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { eventData, type OutboxEvent } from './event-data';
import { type EventType, type FeedEvent, type FeedTenant } from './event-types';

interface EventRow {
  position: string;
  tenant_id: string;
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

/** The advisory lock that makes the sequencer one at a time across every process on the database. */
const SEQUENCER_LOCK = 0x5347_5745_5651; // "SGWEVQ"

/**
 * The outbox: every state change writes its event row in the same statement (`insertEventsSql`) or
 * transaction ({@link EventsRepository.append}), with no position. The sequencer ({@link EventsRepository.sequence}) then stamps committed rows with
 * increasing positions, one run at a time; since a run commits before the next one starts, positions
 * become visible strictly in order, and a reader that moved past position p never misses a lower one.
 * Nothing but the sequencer's own lock decides what is visible, so no other transaction in the cluster
 * can hold the feed back.
 */
@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event inside the caller's transaction. */
  async append(manager: EntityManager, event: NewEvent): Promise<void> {
    // Stays SQL: on every write that emits an event; a bare INSERT without TypeORM's RETURNING of defaults.
    await manager.query(
      'INSERT INTO events (tenant_id, type, consent_request_id, data) VALUES ($1, $2, $3, $4)',
      [event.tenantId, event.type, event.consentRequestId ?? null, JSON.stringify(event.data ?? {})],
    );
  }

  /**
   * The tenant's sequenced events after the cursor `after` (a position; 0 for the start), in order, each
   * with the public `data` a webhook of it carries (the org number is the caller's, as its credential
   * carries it). `ORDER BY events.position` is the bigint column: the text cursor is selected under another
   * name so the sort can never fall to the text output column.
   */
  async feed(tenant: FeedTenant, after: string, limit: number): Promise<FeedEvent[]> {
    // Stays SQL: the feed's hot read, ordered by the bigint position.
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT position::text AS position, tenant_id, type, occurred_at, consent_request_id, data
         FROM events
        WHERE tenant_id = $1 AND events.position > $2::bigint
        ORDER BY events.position
        LIMIT $3`,
      [tenant.tenantId, after, limit],
    );
    return rows.map((row) => {
      const event = toOutboxEvent(row);
      return { ...event, type: row.type, data: eventData(event, tenant.orgNumber) };
    });
  }

  /**
   * Stamps up to `limit` committed, unsequenced events with the next positions, oldest row first, and
   * returns them in position order; inside the caller's transaction, so whatever the caller does with
   * them (fan-out) commits or rolls back with the positions. Returns `null` when another run holds the
   * lock (it will see these rows), `[]` when there is nothing to do.
   *
   * The lock is taken in the same statement: its snapshot may predate the previous run's commit, so a
   * row that run stamped can still look unsequenced here; the outer `position IS NULL` is re-checked
   * against the row's latest version (READ COMMITTED), so it is never stamped twice.
   */
  async sequence(
    manager: EntityManager,
    limit: number,
  ): Promise<(OutboxEvent & { type: EventType; tenantId: string })[] | null> {
    // Stays SQL: the lock, the stamping and the read must be one statement (see above).
    const rows = await manager.query<(EventRow & { locked: boolean | null })[]>(
      `WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock($1) AS locked),
            next AS (
              SELECT id FROM events
               WHERE position IS NULL AND (SELECT locked FROM lock)
               ORDER BY id
               LIMIT $2
            ),
            stamped AS (
              UPDATE events e SET position = nextval('events_position_seq')
                FROM next
               WHERE e.id = next.id AND e.position IS NULL
               RETURNING e.position, e.tenant_id, e.type, e.occurred_at, e.consent_request_id, e.data
            )
       SELECT position::text AS position, tenant_id, type, occurred_at, consent_request_id, data,
              NULL::boolean AS locked
         FROM stamped
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, NULL, NULL, locked FROM lock`,
      [SEQUENCER_LOCK, limit],
    );
    const lockRow = rows.find((row) => row.locked !== null);
    if (!lockRow?.locked) return null;
    return rows
      .filter((row) => row.locked === null)
      .sort((a, b) => compareNumericStrings(a.position, b.position))
      .map((row) => ({ ...toOutboxEvent(row), type: row.type, tenantId: row.tenant_id }));
  }
}

function compareNumericStrings(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function toOutboxEvent(row: EventRow): OutboxEvent {
  return {
    id: row.position,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    consentRequestId: row.consent_request_id,
    data: row.data,
  };
}
