import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, auditUrl, type Caller } from '@gw/audit';
import { decodeCursor, type Page, pageOf } from '@gw/http';
import { inTransaction, uuidV7 } from '@gw/persistence';
import { TenantOffboardingHooks, type TenantId } from '@gw/tenants';
import { endpointChanges } from './domain/endpoint-changes';
import { TEST_EVENT_TYPE, type WebhookPayload } from './domain/webhook-payload';
import { formatSecret, ROTATION_OVERLAP_MS } from './domain/webhook-secret';
import { WebhookAddressGuard } from './webhook-address-guard';
import { WebhookDeliveryQueue } from './webhook-delivery.queue';
import {
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from './webhook-endpoint.entity';
import { WebhookSecretBox } from './webhook-secret-box';
import { WebhooksError } from './webhooks.errors';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import {
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
  webhookCursorSchema,
} from './webhooks.schemas';

/**
 * The tenant a request acts for: its id (every query), org number (payloads), and the key and request
 * the audit log names.
 */
export interface WebhookTenant extends Caller {
  tenantId: TenantId;
  orgNumber: string;
}

/**
 * A tenant's webhook endpoints and their delivery log. Every method takes the tenant first; an endpoint
 * or delivery of another tenant is not found. Each change is audited in its own transaction; a change
 * that changes nothing is not.
 */
@Injectable()
export class WebhookEndpointsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly repository: WebhookEndpointsRepository,
    private readonly guard: WebhookAddressGuard,
    private readonly secretBox: WebhookSecretBox,
    private readonly queue: WebhookDeliveryQueue,
    private readonly offboarding: TenantOffboardingHooks,
  ) {}

  onModuleInit(): void {
    // An offboarded tenant's data is kept for audit, but nothing is sent to it any more.
    this.offboarding.register((_caller, tenantId, manager) =>
      this.repository.disableAllEndpoints(manager, tenantId),
    );
  }

  /** Creates an endpoint; the answer carries its secret, which is never shown again. */
  async create(caller: WebhookTenant, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    await this.mustAllow(input.url);
    const id = uuidV7();
    const secret = formatSecret(randomBytes(32));
    const endpoint = await inTransaction(this.dataSource, async (manager) => {
      const inserted = await this.repository.insertEndpoint(
        caller.tenantId,
        { id, url: input.url, eventTypes: input.eventTypes, secret: this.secretBox.seal(id, secret) },
        manager,
      );
      await this.audit.record(
        caller,
        {
          tenantId: caller.tenantId,
          action: 'webhook_endpoint.created',
          target: `webhook_endpoint:${id}`,
          details: { url: auditUrl(inserted.url), eventTypes: inserted.eventTypes },
        },
        manager,
      );
      return inserted;
    });
    return { ...endpoint, secret };
  }

  /** A page of the tenant's endpoints after `cursor` (a `next` this listing handed out). */
  async list(tenantId: TenantId, cursor: string | undefined, limit: number): Promise<Page<WebhookEndpoint>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, webhookCursorSchema).id;
    const rows = await this.repository.listEndpoints(tenantId, after, limit);
    return pageOf(
      rows,
      limit,
      (row) => ({ id: row.id }),
      (row) => row,
    );
  }

  async get(tenantId: TenantId, id: string): Promise<WebhookEndpoint> {
    return this.mustFind(tenantId, id);
  }

  /** url (checked again), event types, enabled (enabling clears the failure streak). */
  async update(
    caller: WebhookTenant,
    id: string,
    patch: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    const { tenantId } = caller;
    const current = await this.mustFind(tenantId, id);
    if (patch.url !== undefined || (patch.enabled === true && !current.enabled)) {
      await this.mustAllow(patch.url ?? current.url);
    }
    return inTransaction(this.dataSource, async (manager) => {
      // Compared under the row lock: what this change did, not what a concurrent one did.
      const before = await this.repository.lockEndpoint(manager, tenantId, id);
      const updated = before && (await this.repository.updateEndpoint(tenantId, id, patch, manager));
      if (!before || !updated) throw notFound();
      const changed = endpointChanges(before, updated);
      if (changed.length > 0) {
        await this.audit.record(
          caller,
          {
            tenantId,
            action: 'webhook_endpoint.updated',
            target: `webhook_endpoint:${id}`,
            details: {
              changed,
              ...(changed.includes('url') ? { url: auditUrl(updated.url) } : {}),
              ...(changed.includes('eventTypes') ? { eventTypes: updated.eventTypes } : {}),
              ...(changed.includes('enabled') ? { enabled: updated.enabled } : {}),
            },
          },
          manager,
        );
      }
      return updated;
    });
  }

  async delete(caller: WebhookTenant, id: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const deleted = await this.repository.deleteEndpoint(caller.tenantId, id, manager);
      if (!deleted) throw notFound();
      await this.audit.record(
        caller,
        {
          tenantId: caller.tenantId,
          action: 'webhook_endpoint.deleted',
          target: `webhook_endpoint:${id}`,
          details: { url: auditUrl(deleted.url) },
        },
        manager,
      );
    });
  }

  /** A new secret (shown once); the previous one keeps signing for 24 h so receivers can switch over. */
  async rotateSecret(
    caller: WebhookTenant,
    id: string,
    now = new Date(),
  ): Promise<WebhookEndpointWithSecret> {
    const secret = formatSecret(randomBytes(32));
    const rotated = await inTransaction(this.dataSource, async (manager) => {
      const endpoint = await this.repository.rotateSecret(
        caller.tenantId,
        id,
        this.secretBox.seal(id, secret),
        new Date(now.getTime() + ROTATION_OVERLAP_MS),
        manager,
      );
      if (!endpoint) throw notFound();
      await this.audit.record(
        caller,
        {
          tenantId: caller.tenantId,
          action: 'webhook_endpoint.secret_rotated',
          target: `webhook_endpoint:${id}`,
          details: { previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null },
        },
        manager,
      );
      return endpoint;
    });
    return { ...rotated, secret };
  }

  /**
   * Sends a `webhook.test` event through the normal delivery path (signing, retries, log). The delivery
   * and its audit record commit together before the job is queued; without Redis the relay's sweep
   * queues it later, as for a retry.
   */
  async sendTest(caller: WebhookTenant, endpointId: string, now = new Date()): Promise<WebhookDelivery> {
    const endpoint = await this.mustFind(caller.tenantId, endpointId);
    if (!endpoint.enabled) throw disabled();
    const id = uuidV7(now.getTime());
    const payload: WebhookPayload = {
      type: TEST_EVENT_TYPE,
      id,
      occurredAt: now.toISOString(),
      data: { consentRequestId: null, status: null, tenantOrg: caller.orgNumber },
    };
    const delivery = await inTransaction(this.dataSource, async (manager) => {
      const inserted = await this.repository.insertDelivery(
        caller.tenantId,
        { id, endpointId, eventType: TEST_EVENT_TYPE, payload },
        manager,
      );
      await this.audit.record(
        caller,
        {
          tenantId: caller.tenantId,
          action: 'webhook_endpoint.test_sent',
          target: `webhook_endpoint:${endpointId}`,
          details: { deliveryId: id },
        },
        manager,
      );
      return inserted;
    });
    try {
      await this.queue.enqueue([delivery]);
    } catch {
      throw notQueued();
    }
    return delivery;
  }

  async listDeliveries(
    tenantId: TenantId,
    endpointId: string,
    query: { status?: DeliveryStatus; cursor?: string; limit: number },
  ): Promise<Page<WebhookDelivery>> {
    const before =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, webhookCursorSchema).id;
    await this.mustFind(tenantId, endpointId);
    const rows = await this.repository.listDeliveries(tenantId, endpointId, {
      status: query.status,
      before,
      limit: query.limit,
    });
    return pageOf(
      rows,
      query.limit,
      (row) => ({ id: row.id }),
      (row) => row,
    );
  }

  /** Delivers again with a fresh schedule, keeping the delivery id (the `webhook-id`). */
  async retryDelivery(caller: WebhookTenant, deliveryId: string): Promise<WebhookDelivery> {
    const { tenantId } = caller;
    const delivery = await this.repository.findDelivery(tenantId, deliveryId);
    if (!delivery) throw new WebhooksError('webhooks.delivery_not_found', 'No such webhook delivery');
    const endpoint = await this.mustFind(tenantId, delivery.endpointId);
    if (!endpoint.enabled) throw disabled();
    const requeued = await inTransaction(this.dataSource, async (manager) => {
      const [row] = await this.repository.requeue(tenantId, endpoint.id, { deliveryId }, manager);
      if (!row) {
        throw new WebhooksError('webhooks.delivery_in_progress', 'The delivery is already queued');
      }
      await this.audit.record(
        caller,
        {
          tenantId,
          action: 'webhook_delivery.retried',
          target: `webhook_delivery:${deliveryId}`,
          details: { endpointId: endpoint.id },
        },
        manager,
      );
      return row;
    });
    await this.runNow(requeued);
    return requeued;
  }

  /**
   * Every failed or dead delivery to the endpoint created since `since` is delivered again. A replay
   * that finds none changed nothing and is not audited.
   */
  async replay(caller: WebhookTenant, endpointId: string, since: Date): Promise<{ requeued: number }> {
    const { tenantId } = caller;
    const endpoint = await this.mustFind(tenantId, endpointId);
    if (!endpoint.enabled) throw disabled();
    const requeued = await inTransaction(this.dataSource, async (manager) => {
      const rows = await this.repository.requeue(tenantId, endpointId, { since }, manager);
      if (rows.length > 0) {
        await this.audit.record(
          caller,
          {
            tenantId,
            action: 'webhook_endpoint.replayed',
            target: `webhook_endpoint:${endpointId}`,
            details: { since: since.toISOString(), requeued: rows.length },
          },
          manager,
        );
      }
      return rows;
    });
    for (const delivery of requeued) await this.runNow(delivery);
    return { requeued: requeued.length };
  }

  private async runNow(delivery: WebhookDelivery): Promise<void> {
    try {
      await this.queue.runNow(delivery);
    } catch {
      throw notQueued();
    }
  }

  private async mustAllow(url: string): Promise<void> {
    const check = await this.guard.check(url);
    if (!check.ok) {
      throw new WebhooksError('webhooks.url_not_allowed', `The URL ${check.reason}`, {
        errors: [{ pointer: '/url', detail: check.reason }],
      });
    }
  }

  private async mustFind(tenantId: TenantId, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.repository.findEndpoint(tenantId, id);
    if (!endpoint) throw notFound();
    return endpoint;
  }
}

function notFound(): WebhooksError {
  return new WebhooksError('webhooks.endpoint_not_found', 'No such webhook endpoint');
}

/** The row is pending with next_attempt_at now: the relay's sweep queues it when Redis is back. */
function notQueued(): WebhooksError {
  return new WebhooksError(
    'webhooks.not_queued',
    'Queued in the database; the delivery starts when the queue is back',
  );
}

function disabled(): WebhooksError {
  return new WebhooksError('webhooks.endpoint_disabled', 'The webhook endpoint is disabled; enable it first');
}
