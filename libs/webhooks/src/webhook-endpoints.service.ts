import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type Page, pageOf } from '@gw/http';
import { uuidV7 } from '@gw/persistence';
import { TenantOffboardingHooks, type TenantId } from '@gw/tenants';
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
import { WebhooksRepository } from './webhooks.repository';
import { type CreateWebhookEndpointInput, type UpdateWebhookEndpointInput } from './webhooks.schemas';

/** The tenant a request acts for: its id (every query) and org number (payloads). */
export interface WebhookTenant {
  tenantId: TenantId;
  orgNumber: string;
}

/**
 * A tenant's webhook endpoints and their delivery log (issue 7). Every method takes the tenant first; an
 * endpoint or delivery of another tenant is not found.
 */
@Injectable()
export class WebhookEndpointsService implements OnModuleInit {
  constructor(
    private readonly repository: WebhooksRepository,
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
  async create(tenantId: TenantId, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    await this.mustAllow(input.url);
    const id = uuidV7();
    const secret = formatSecret(randomBytes(32));
    const endpoint = await this.repository.insertEndpoint(tenantId, {
      id,
      url: input.url,
      eventTypes: input.eventTypes,
      secret: this.secretBox.seal(id, secret),
    });
    return { ...endpoint, secret };
  }

  async list(tenantId: TenantId, after: string | undefined, limit: number): Promise<Page<WebhookEndpoint>> {
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
  async update(tenantId: TenantId, id: string, patch: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const current = await this.mustFind(tenantId, id);
    if (patch.url !== undefined || (patch.enabled === true && !current.enabled)) {
      await this.mustAllow(patch.url ?? current.url);
    }
    const updated = await this.repository.updateEndpoint(tenantId, id, patch);
    if (!updated) throw notFound();
    return updated;
  }

  async delete(tenantId: TenantId, id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(tenantId, id))) throw notFound();
  }

  /** A new secret (shown once); the previous one keeps signing for 24 h so receivers can switch over. */
  async rotateSecret(tenantId: TenantId, id: string, now = new Date()): Promise<WebhookEndpointWithSecret> {
    await this.mustFind(tenantId, id);
    const secret = formatSecret(randomBytes(32));
    const rotated = await this.repository.rotateSecret(
      tenantId,
      id,
      this.secretBox.seal(id, secret),
      new Date(now.getTime() + ROTATION_OVERLAP_MS),
    );
    if (!rotated) throw notFound();
    return { ...rotated, secret };
  }

  /** Sends a `webhook.test` event through the normal delivery path (signing, retries, log). */
  async sendTest(tenant: WebhookTenant, endpointId: string, now = new Date()): Promise<WebhookDelivery> {
    const endpoint = await this.mustFind(tenant.tenantId, endpointId);
    if (!endpoint.enabled) throw disabled();
    const id = uuidV7(now.getTime());
    const payload: WebhookPayload = {
      type: TEST_EVENT_TYPE,
      id,
      occurredAt: now.toISOString(),
      data: { consentRequestId: null, status: null, tenantOrg: tenant.orgNumber },
    };
    const delivery = await this.repository.insertDelivery(tenant.tenantId, {
      id,
      endpointId,
      eventType: TEST_EVENT_TYPE,
      payload,
    });
    try {
      await this.queue.enqueue([delivery]);
    } catch {
      await this.repository.deleteDelivery(tenant.tenantId, id);
      throw new WebhooksError(
        'webhooks.not_queued',
        'The test event could not be queued; nothing was stored',
      );
    }
    return delivery;
  }

  async listDeliveries(
    tenantId: TenantId,
    endpointId: string,
    query: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<Page<WebhookDelivery>> {
    await this.mustFind(tenantId, endpointId);
    const rows = await this.repository.listDeliveries(tenantId, endpointId, query);
    return pageOf(
      rows,
      query.limit,
      (row) => ({ id: row.id }),
      (row) => row,
    );
  }

  /** Delivers again with a fresh schedule, keeping the delivery id (the `webhook-id`). */
  async retryDelivery(tenantId: TenantId, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.repository.findDelivery(tenantId, deliveryId);
    if (!delivery) throw new WebhooksError('webhooks.delivery_not_found', 'No such webhook delivery');
    const endpoint = await this.mustFind(tenantId, delivery.endpointId);
    if (!endpoint.enabled) throw disabled();
    const [requeued] = await this.repository.requeue(tenantId, endpoint.id, { deliveryId });
    if (!requeued) {
      throw new WebhooksError('webhooks.delivery_in_progress', 'The delivery is already queued');
    }
    await this.runNow(requeued);
    return requeued;
  }

  /** Every failed or dead delivery to the endpoint created since `since` is delivered again. */
  async replay(tenantId: TenantId, endpointId: string, since: Date): Promise<{ requeued: number }> {
    const endpoint = await this.mustFind(tenantId, endpointId);
    if (!endpoint.enabled) throw disabled();
    const requeued = await this.repository.requeue(tenantId, endpointId, { since });
    for (const delivery of requeued) await this.runNow(delivery);
    return { requeued: requeued.length };
  }

  private async runNow(delivery: WebhookDelivery): Promise<void> {
    try {
      await this.queue.runNow(delivery);
    } catch {
      // The row is pending with next_attempt_at now: the relay's sweep queues it when Redis is back.
      throw new WebhooksError(
        'webhooks.not_queued',
        'Queued in the database; the delivery starts when the queue is back',
      );
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

function disabled(): WebhooksError {
  return new WebhooksError('webhooks.endpoint_disabled', 'The webhook endpoint is disabled; enable it first');
}
