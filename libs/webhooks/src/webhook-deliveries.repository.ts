import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type TenantId } from '@gw/tenants';
import { type DeliveryStatus, type DisabledReason, type WebhookDelivery } from './webhook-endpoint.entity';
import { toDelivery } from './webhook-row-mapping';
import { type WebhookDeliveryRow } from './webhook-row.entity';

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

/**
 * The delivery path (`WebhookDeliveryService`): one attempt's target, its outcome and the endpoint's
 * failure streak, and the endpoint's end when it keeps failing. Every statement names the tenant.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

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
   * Records an attempt's outcome and its effect on the endpoint's failure streak (success ends it, a
   * failure starts it if it was not running), only while the row is as the attempt found it
   * (`delivery.attempts` and `delivery.status`): a retry or replay requested during the attempt reset the
   * row, and must win. False when nothing was written.
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
}
