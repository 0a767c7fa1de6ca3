import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type TenantId } from '@gw/tenants';
import { type WebhookPayload } from './domain/webhook-payload';
import {
  type DeliveryStatus,
  type DisabledReason,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhook-endpoint.entity';

interface EndpointRow {
  id: string;
  tenant_id: TenantId;
  url: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: DisabledReason | null;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  tenant_id: TenantId;
  endpoint_id: string;
  event_id: string | null;
  event_type: string;
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

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

const ENDPOINT_COLUMNS = `id, tenant_id, url, event_types, enabled, disabled_reason, failing_since,
  previous_secret_expires_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, tenant_id, endpoint_id, event_id::text, event_type, payload, status, attempts,
  next_attempt_at, last_attempt_at, last_status_code, last_error, created_at, updated_at`;
// UPDATE/DELETE … RETURNING sit in a CTE: TypeORM answers a bare one with [rows, count], not rows.

/**
 * SQL for webhook endpoints, deliveries and the relay cursor. Every statement on tenant data names the
 * tenant (docs/architecture.md "Tenant isolation"); only the relay reads across tenants, as the outbox does.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertEndpoint(
    tenantId: TenantId,
    endpoint: { id: string; url: string; eventTypes: string[]; secret: Buffer },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookEndpoint> {
    const rows = await manager.query<EndpointRow[]>(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret_ciphertext)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.id, tenantId, endpoint.url, endpoint.eventTypes, endpoint.secret],
    );
    return toEndpoint(rows[0]);
  }

  async findEndpoint(tenantId: TenantId, id: string): Promise<WebhookEndpoint | undefined> {
    const rows = await this.dataSource.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] && toEndpoint(rows[0]);
  }

  /** The endpoint, locked until the caller's transaction ends: what a change is compared against. */
  async lockEndpoint(
    manager: EntityManager,
    tenantId: TenantId,
    id: string,
  ): Promise<WebhookEndpoint | undefined> {
    const rows = await manager.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenantId, id],
    );
    return rows[0] && toEndpoint(rows[0]);
  }

  /** Keyset page in id (creation) order; `limit + 1` rows to tell whether more follow. */
  async listEndpoints(
    tenantId: TenantId,
    after: string | undefined,
    limit: number,
  ): Promise<WebhookEndpoint[]> {
    const rows = await this.dataSource.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
        WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [tenantId, after ?? null, limit + 1],
    );
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
    const rows = await manager.query<DeliveryRow[]>(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_type, payload)
       SELECT $1, tenant_id, id, $3, $4 FROM webhook_endpoints WHERE tenant_id = $2 AND id = $5
       RETURNING ${DELIVERY_COLUMNS}`,
      [delivery.id, tenantId, delivery.eventType, JSON.stringify(delivery.payload), delivery.endpointId],
    );
    return toDelivery(rows[0]);
  }

  async findDelivery(tenantId: TenantId, id: string): Promise<WebhookDelivery | undefined> {
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] && toDelivery(rows[0]);
  }

  /** Newest first (ids are UUIDv7); `before` is the last id of the previous page. */
  async listDeliveries(
    tenantId: TenantId,
    endpointId: string,
    filter: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<WebhookDelivery[]> {
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE tenant_id = $1 AND endpoint_id = $2
          AND ($3::text IS NULL OR status = $3)
          AND ($4::uuid IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [tenantId, endpointId, filter.status ?? null, filter.before ?? null, filter.limit + 1],
    );
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
    const rows = await manager.query<DeliveryRow[]>(
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
    const rows = await this.dataSource.query<
      (DeliveryRow & {
        url: string;
        enabled: boolean;
        failing_since: Date | null;
        secret_ciphertext: Buffer;
        previous_secret_ciphertext: Buffer | null;
        previous_secret_expires_at: Date | null;
      })[]
    >(
      `SELECT d.id, d.tenant_id, d.endpoint_id, d.event_id::text, d.event_type, d.payload, d.status, d.attempts,
              d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at,
              e.url, e.enabled, e.failing_since, e.secret_ciphertext, e.previous_secret_ciphertext,
              e.previous_secret_expires_at
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
      failingSince: row.failing_since,
      secrets: {
        current: row.secret_ciphertext,
        previous: row.previous_secret_ciphertext,
        previousExpiresAt: row.previous_secret_expires_at,
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
    const rows = await this.dataSource.query<{ id: string; traceparent: string }[]>(
      `SELECT d.id, e.traceparent FROM webhook_deliveries d JOIN events e ON e.position = d.event_id
        WHERE d.id = ANY($1::uuid[]) AND e.traceparent IS NOT NULL`,
      [deliveryIds],
    );
    return new Map(rows.map((row) => [row.id, row.traceparent]));
  }

  /** Open deliveries whose attempt is overdue by now (their job may have been lost). */
  async overdue(before: Date, limit: number): Promise<{ id: string; tenantId: TenantId }[]> {
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
    tenantId: row.tenant_id,
    url: row.url,
    eventTypes: row.event_types,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
