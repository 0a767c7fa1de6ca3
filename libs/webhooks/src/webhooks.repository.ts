import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  LessThan,
  MoreThan,
  type Repository,
} from 'typeorm';
import { type TenantId } from '@gw/tenants';
import { type WebhookPayload } from './domain/webhook-payload';
import {
  type DeliveryStatus,
  type DisabledReason,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhook-endpoint.entity';
import { WebhookDeliveryRow, WebhookEndpointRow } from './webhook-row.entity';

/** An endpoint's row without its sealed secrets, which the entity never selects. */
type EndpointRow = Omit<WebhookEndpointRow, 'secretCiphertext' | 'previousSecretCiphertext'>;

/** An endpoint's sealed secrets (AES-256-GCM), for signing. */
export interface SealedSecrets {
  current: Buffer;
  previous: Buffer | null;
  previousExpiresAt: Date | null;
}

/** What an attempt needs: the delivery, where it goes and how to sign it. */
export interface DeliveryTarget {
  delivery: WebhookDelivery;
  url: string;
  enabled: boolean;
  failingSince: Date | null;
  secrets: SealedSecrets;
}

export interface EndpointPatch {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

/** One delivery the relay wants: (event, endpoint) with its body. */
export interface PlannedDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: WebhookPayload;
}

// The entities' columns under their property names, so the rows of hand-written SQL have their shape.
const ENDPOINT_COLUMNS = `id, tenant_id AS "tenantId", url, event_types AS "eventTypes", enabled,
  disabled_reason AS "disabledReason", failing_since AS "failingSince",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;
const DELIVERY_COLUMNS = `id, tenant_id AS "tenantId", endpoint_id AS "endpointId", event_id::text AS "eventId",
  event_type AS "eventType", payload, status, attempts, next_attempt_at AS "nextAttemptAt",
  last_attempt_at AS "lastAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
// UPDATE/DELETE … RETURNING sit in a CTE: TypeORM answers a bare one with [rows, count], not rows.

/**
 * SQL for webhook endpoints, deliveries and the relay cursor. Every statement on tenant data names the
 * tenant (docs/architecture.md "Tenant isolation"); only the relay reads across tenants, as the outbox does.
 */
@Injectable()
export class WebhooksRepository {
  private readonly endpoints: Repository<WebhookEndpointRow>;
  private readonly deliveries: Repository<WebhookDeliveryRow>;

  constructor(private readonly dataSource: DataSource) {
    this.endpoints = dataSource.getRepository(WebhookEndpointRow);
    this.deliveries = dataSource.getRepository(WebhookDeliveryRow);
  }

  async insertEndpoint(
    tenantId: TenantId,
    endpoint: { id: string; url: string; eventTypes: string[]; secret: Buffer },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookEndpoint> {
    // Stays SQL: RETURNING hands back the row with its defaults in the same statement.
    const rows = await manager.query<EndpointRow[]>(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret_ciphertext)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.id, tenantId, endpoint.url, endpoint.eventTypes, endpoint.secret],
    );
    return toEndpoint(rows[0]);
  }

  async findEndpoint(tenantId: TenantId, id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.endpoints.findOneBy({ tenantId, id });
    return row ? toEndpoint(row) : undefined;
  }

  /** The endpoint, locked until the caller's transaction ends: what a change is compared against. */
  async lockEndpoint(
    manager: EntityManager,
    tenantId: TenantId,
    id: string,
  ): Promise<WebhookEndpoint | undefined> {
    const row = await manager.findOne(WebhookEndpointRow, {
      where: { tenantId, id },
      lock: { mode: 'pessimistic_write' },
    });
    return row ? toEndpoint(row) : undefined;
  }

  /** Keyset page in id (creation) order; `limit + 1` rows to tell whether more follow. */
  async listEndpoints(
    tenantId: TenantId,
    after: string | undefined,
    limit: number,
  ): Promise<WebhookEndpoint[]> {
    const rows = await this.endpoints.find({
      where: after === undefined ? { tenantId } : { tenantId, id: MoreThan(after) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    return rows.map(toEndpoint);
  }

  /**
   * Changes url, event types or enabled. Enabling clears the disable reason and the failure streak;
   * disabling ends the endpoint's open deliveries (`dead`; a replay brings them back).
   */
  async updateEndpoint(
    tenantId: TenantId,
    id: string,
    patch: EndpointPatch,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookEndpoint | undefined> {
    // Stays SQL: the change and the end of the open deliveries it disables, in one statement.
    const rows = await manager.query<EndpointRow[]>(
      `WITH updated AS (
         UPDATE webhook_endpoints SET
           url = COALESCE($3, url),
           event_types = COALESCE($4::text[], event_types),
           enabled = COALESCE($5::boolean, enabled),
           disabled_reason = CASE WHEN $5::boolean IS NULL THEN disabled_reason
                                  WHEN $5::boolean THEN NULL
                                  ELSE COALESCE(disabled_reason, 'manual') END,
           failing_since = CASE WHEN $5::boolean THEN NULL ELSE failing_since END,
           updated_at = now()
         WHERE tenant_id = $1 AND id = $2
         RETURNING ${ENDPOINT_COLUMNS}
       ), ended AS (
         UPDATE webhook_deliveries SET status = 'dead', last_error = 'endpoint disabled', updated_at = now()
          WHERE tenant_id = $1 AND endpoint_id = $2 AND $5::boolean = false AND status IN ('pending', 'failed')
            AND EXISTS (SELECT 1 FROM updated)
       )
       SELECT * FROM updated`,
      [tenantId, id, patch.url ?? null, patch.eventTypes ?? null, patch.enabled ?? null],
    );
    return rows[0] && toEndpoint(rows[0]);
  }

  /** Deletes the endpoint and its delivery log; what it was, or undefined when the tenant has no such endpoint. */
  async deleteEndpoint(
    tenantId: TenantId,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookEndpoint | undefined> {
    // Stays SQL: deletes and returns what was deleted in one statement.
    const rows = await manager.query<EndpointRow[]>(
      `WITH deleted AS (DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS})
       SELECT * FROM deleted`,
      [tenantId, id],
    );
    return rows[0] && toEndpoint(rows[0]);
  }

  /** The sealed secret becomes the previous one (signing until `previousExpiresAt`); `secret` the current. */
  async rotateSecret(
    tenantId: TenantId,
    id: string,
    secret: Buffer,
    previousExpiresAt: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookEndpoint | undefined> {
    // Stays SQL: the current secret becomes the previous one inside the UPDATE, never read by the app.
    const rows = await manager.query<EndpointRow[]>(
      `WITH rotated AS (
         UPDATE webhook_endpoints
            SET previous_secret_ciphertext = secret_ciphertext, previous_secret_expires_at = $4,
                secret_ciphertext = $3, updated_at = now()
          WHERE tenant_id = $1 AND id = $2
          RETURNING ${ENDPOINT_COLUMNS}
       )
       SELECT * FROM rotated`,
      [tenantId, id, secret, previousExpiresAt],
    );
    return rows[0] && toEndpoint(rows[0]);
  }

  async insertDelivery(
    tenantId: TenantId,
    delivery: { id: string; endpointId: string; eventType: string; payload: WebhookPayload },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookDelivery> {
    // Stays SQL: inserts only for an endpoint of the tenant, and returns the row, in one statement.
    const rows = await manager.query<WebhookDeliveryRow[]>(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_type, payload)
       SELECT $1, tenant_id, id, $3, $4 FROM webhook_endpoints WHERE tenant_id = $2 AND id = $5
       RETURNING ${DELIVERY_COLUMNS}`,
      [delivery.id, tenantId, delivery.eventType, JSON.stringify(delivery.payload), delivery.endpointId],
    );
    return toDelivery(rows[0]);
  }

  async findDelivery(tenantId: TenantId, id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.deliveries.findOneBy({ tenantId, id });
    return row ? toDelivery(row) : undefined;
  }

  /** Newest first (ids are UUIDv7); `before` is the last id of the previous page. */
  async listDeliveries(
    tenantId: TenantId,
    endpointId: string,
    filter: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<WebhookDelivery[]> {
    const where: FindOptionsWhere<WebhookDeliveryRow> = { tenantId, endpointId };
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.before !== undefined) where.id = LessThan(filter.before);
    const rows = await this.deliveries.find({ where, order: { id: 'DESC' }, take: filter.limit + 1 });
    return rows.map(toDelivery);
  }

  /** Puts deliveries back to `pending` with a fresh schedule; returns those that changed. */
  async requeue(
    tenantId: TenantId,
    endpointId: string,
    filter: { deliveryId: string } | { since: Date },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookDelivery[]> {
    const byId = 'deliveryId' in filter;
    // Stays SQL: resets exactly the rows that qualify and returns them, in one statement.
    const rows = await manager.query<WebhookDeliveryRow[]>(
      `WITH requeued AS (
         UPDATE webhook_deliveries
            SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
          WHERE tenant_id = $1 AND endpoint_id = $2
            AND ${byId ? "id = $3 AND status <> 'pending'" : "created_at >= $3 AND status IN ('failed', 'dead')"}
          RETURNING ${DELIVERY_COLUMNS}
       )
       SELECT * FROM requeued`,
      [tenantId, endpointId, byId ? filter.deliveryId : filter.since],
    );
    return rows.map(toDelivery);
  }

  /** The delivery with its endpoint's address and sealed secrets. */
  async findTarget(tenantId: TenantId, deliveryId: string): Promise<DeliveryTarget | undefined> {
    // Stays SQL: every attempt reads it, one join for the delivery and its endpoint's sealed secrets.
    const rows = await this.dataSource.query<
      (WebhookDeliveryRow & {
        url: string;
        enabled: boolean;
        failingSince: Date | null;
        secretCiphertext: Buffer;
        previousSecretCiphertext: Buffer | null;
        previousSecretExpiresAt: Date | null;
      })[]
    >(
      `SELECT d.id, d.tenant_id AS "tenantId", d.endpoint_id AS "endpointId", d.event_id::text AS "eventId",
              d.event_type AS "eventType", d.payload, d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt",
              d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode",
              d.last_error AS "lastError", d.created_at AS "createdAt", d.updated_at AS "updatedAt",
              e.url, e.enabled, e.failing_since AS "failingSince", e.secret_ciphertext AS "secretCiphertext",
              e.previous_secret_ciphertext AS "previousSecretCiphertext",
              e.previous_secret_expires_at AS "previousSecretExpiresAt"
         FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
        WHERE d.tenant_id = $1 AND d.id = $2`,
      [tenantId, deliveryId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      delivery: toDelivery(row),
      url: row.url,
      enabled: row.enabled,
      failingSince: row.failingSince,
      secrets: {
        current: row.secretCiphertext,
        previous: row.previousSecretCiphertext,
        previousExpiresAt: row.previousSecretExpiresAt,
      },
    };
  }

  /**
   * Records one attempt and its effect on the endpoint's failure streak, in one statement: success ends
   * the streak, a failure starts it (if it was not running).
   */
  /**
   * Records an attempt's outcome, only while the row is as the attempt found it (`delivery.attempts` and
   * `delivery.status`): a retry or replay requested during the attempt reset the row, and must win. False
   * when nothing was written.
   */
  async recordAttempt(
    tenantId: TenantId,
    delivery: { id: string; endpointId: string; attempts: number; status: DeliveryStatus },
    attempt: {
      status: DeliveryStatus;
      attempts: number;
      nextAttemptAt: Date;
      statusCode: number | null;
      error: string | null;
      failingSince: Date | null;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    // Stays SQL: the outcome and the endpoint's failure streak in one statement, guarded by the row's state.
    const rows = await manager.query<{ id: string }[]>(
      `WITH endpoint AS (
         UPDATE webhook_endpoints
            SET failing_since = CASE WHEN $8::timestamptz IS NULL THEN NULL ELSE COALESCE(failing_since, $8) END
          WHERE tenant_id = $1 AND id = $3
       ), recorded AS (
         UPDATE webhook_deliveries
            SET status = $4, attempts = $5, next_attempt_at = $6, last_attempt_at = now(),
                last_status_code = $7, last_error = $9, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND attempts = $10 AND status = $11
          RETURNING id
       )
       SELECT id FROM recorded`,
      [
        tenantId,
        delivery.id,
        delivery.endpointId,
        attempt.status,
        attempt.attempts,
        attempt.nextAttemptAt,
        attempt.statusCode,
        attempt.failingSince,
        attempt.error,
        delivery.attempts,
        delivery.status,
      ],
    );
    return rows.length === 1;
  }

  /** Marks a delivery dead without an attempt (its endpoint is disabled). */
  async markDead(tenantId: TenantId, deliveryId: string, reason: string): Promise<void> {
    // Stays SQL: on the delivery path, a guarded UPDATE like recordAttempt's.
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'dead', last_error = $3, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND status IN ('pending', 'failed')`,
      [tenantId, deliveryId, reason],
    );
  }

  /**
   * Disables an endpoint that is still enabled and ends its open deliveries; true when this call did it
   * (so the `webhook_endpoint.disabled` event is written once).
   */
  async disableEndpoint(
    manager: EntityManager,
    tenantId: TenantId,
    endpointId: string,
    reason: DisabledReason,
  ): Promise<boolean> {
    // Stays SQL: disables and ends the open deliveries in one statement, true only for the call that did it.
    const rows = await manager.query<{ id: string }[]>(
      `WITH disabled AS (
         UPDATE webhook_endpoints SET enabled = false, disabled_reason = $3, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND enabled
          RETURNING id
       ), ended AS (
         UPDATE webhook_deliveries SET status = 'dead', last_error = 'endpoint disabled', updated_at = now()
          WHERE tenant_id = $1 AND endpoint_id = $2 AND status IN ('pending', 'failed')
            AND EXISTS (SELECT 1 FROM disabled)
       )
       SELECT id FROM disabled`,
      [tenantId, endpointId, reason],
    );
    return rows.length === 1;
  }

  /** Offboarding: every endpoint of the tenant stops, its open deliveries end, in the caller's transaction. */
  async disableAllEndpoints(manager: EntityManager, tenantId: TenantId): Promise<void> {
    // Stays SQL: the endpoints and their open deliveries end in one statement.
    await manager.query(
      `WITH disabled AS (
         UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'offboarded', updated_at = now()
          WHERE tenant_id = $1 AND enabled
          RETURNING id
       )
       UPDATE webhook_deliveries SET status = 'dead', last_error = 'tenant offboarded', updated_at = now()
        WHERE tenant_id = $1 AND status IN ('pending', 'failed')`,
      [tenantId],
    );
  }

  // --- the outbox relay (across tenants) ---

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
         FROM tenants t
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

  /** Inserts the planned deliveries; (event, endpoint) pairs that already have one are skipped. */
  async insertPlanned(
    manager: EntityManager,
    planned: PlannedDelivery[],
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
    // Stays SQL: a join to the events table by position, on the delivery path.
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

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    tenantId: row.tenantId,
    url: row.url,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    tenantId: row.tenantId,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
