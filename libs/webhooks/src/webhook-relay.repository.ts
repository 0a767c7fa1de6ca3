import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TENANT_REGISTRY_SQL, type TenantId } from '@gw/tenants';
import { type FanOutDelivery } from './domain/fan-out';

/**
 * The outbox relay (`WebhookRelayService`): the fan-out's targets and deliveries inside the sequencer's
 * transaction, the traces of the events it fans out, and the sweep for deliveries whose job was lost.
 * The only webhook statements that read across tenants, as the outbox does.
 */
@Injectable()
export class WebhookRelayRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Enabled endpoints and org numbers of the tenants with events in a relay batch. */
  async relayTargets(
    manager: EntityManager,
    tenantIds: string[],
  ): Promise<{
    endpoints: { id: string; tenantId: string; eventTypes: string[] }[];
    orgs: Map<string, string>;
  }> {
    // Stays SQL: on the relay's sequencing path, inside the sequencer's transaction.
    // One round trip: each tenant once, with its enabled endpoints (none: a row of nulls).
    const rows = await manager.query<
      { tenant_id: string; org_number: string; id: string | null; event_types: string[] | null }[]
    >(
      `SELECT t.id AS tenant_id, t.org_number, e.id, e.event_types
         FROM ${TENANT_REGISTRY_SQL} t
         LEFT JOIN webhook_endpoints e ON e.tenant_id = t.id AND e.enabled
        WHERE t.id = ANY($1::uuid[])`,
      [tenantIds],
    );
    const endpoints: { id: string; tenantId: string; eventTypes: string[] }[] = [];
    const orgs = new Map<string, string>();
    for (const row of rows) {
      orgs.set(row.tenant_id, row.org_number);
      if (row.id !== null) {
        endpoints.push({ id: row.id, tenantId: row.tenant_id, eventTypes: row.event_types ?? [] });
      }
    }
    return { endpoints, orgs };
  }

  /** Inserts the fan-out's deliveries; (event, endpoint) pairs that already have one are skipped. */
  async insertPlanned(
    manager: EntityManager,
    planned: readonly FanOutDelivery[],
  ): Promise<{ id: string; tenantId: string }[]> {
    if (planned.length === 0) return [];
    // Stays SQL: the relay's sequencing path; the whole batch in one statement, existing pairs skipped.
    const rows = await manager.query<{ id: string; tenant_id: string }[]>(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::jsonb[])
       ON CONFLICT (event_id, endpoint_id) DO NOTHING
       RETURNING id, tenant_id`,
      [
        planned.map((item) => item.id),
        planned.map((item) => item.tenantId),
        planned.map((item) => item.endpointId),
        planned.map((item) => item.eventId),
        planned.map((item) => item.eventType),
        planned.map((item) => JSON.stringify(item.payload)),
      ],
    );
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id }));
  }

  /**
   * The `traceparent` of each delivery's event, for those whose event was written while tracing was on
   * (docs/observability.md "Traces").
   */
  async eventTraceparents(deliveryIds: readonly string[]): Promise<Map<string, string>> {
    if (deliveryIds.length === 0) return new Map();
    // Stays SQL: a join to the events table by position, on the relay's enqueue path.
    const rows = await this.dataSource.query<{ id: string; traceparent: string }[]>(
      `SELECT d.id, e.traceparent FROM webhook_deliveries d JOIN events e ON e.position = d.event_id
        WHERE d.id = ANY($1::uuid[]) AND e.traceparent IS NOT NULL`,
      [deliveryIds],
    );
    return new Map(rows.map((row) => [row.id, row.traceparent]));
  }

  /** Open deliveries whose attempt is overdue by now (their job may have been lost). */
  async overdue(before: Date, limit: number): Promise<{ id: string; tenantId: TenantId }[]> {
    // Stays SQL: the sweep's condition is written to match the partial index webhook_deliveries_open.
    const rows = await this.dataSource.query<{ id: string; tenant_id: TenantId }[]>(
      `SELECT id, tenant_id FROM webhook_deliveries
        WHERE status IN ('pending', 'failed') AND next_attempt_at < $1
        ORDER BY next_attempt_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id }));
  }
}
