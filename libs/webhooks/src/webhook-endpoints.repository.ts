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
import { type DeliveryStatus, type WebhookDelivery, type WebhookEndpoint } from './webhook-endpoint.entity';
import {
  DELIVERY_COLUMNS,
  ENDPOINT_COLUMNS,
  type EndpointRow,
  toDelivery,
  toEndpoint,
} from './webhook-row-mapping';
import { WebhookDeliveryRow, WebhookEndpointRow } from './webhook-row.entity';

export interface EndpointPatch {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

// UPDATE/DELETE … RETURNING sit in a CTE: TypeORM answers a bare one with [rows, count], not rows.

/**
 * The tenant's side of webhooks (`WebhookEndpointsService`): its endpoints, their delivery log, test
 * deliveries, retries and replays, and the end of every endpoint at offboarding. Every statement names
 * the tenant (docs/architecture.md "Tenant isolation").
 */
@Injectable()
export class WebhookEndpointsRepository {
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
}
