import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventsRepository } from '@gw/events';
import { Metrics, type WebhookOutcome } from '@gw/observability';
import { inTransaction } from '@gw/persistence';
import { type TenantId } from '@gw/tenants';
import { type AttemptResult, decideAfterAttempt } from './domain/delivery-schedule';
import { signatureHeader, signingSecrets } from './domain/webhook-secret';
import { EndpointGate, EndpointSlots } from './endpoint-slots';
import { WebhookAddressGuard } from './webhook-address-guard';
import { postWebhook } from './webhook-transport';
import { WebhookSecretBox } from './webhook-secret-box';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';
import { type DeliveryTarget, WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** What the job does next: nothing (the delivery is finished), or run again at `at` (epoch ms). */
export type DeliveryStep = { kind: 'done' } | { kind: 'later'; at: number };

const JITTER = 0.2;
/** Deliveries that may wait in this process for one endpoint; the worker runs 64 jobs at once. */
const MAX_WAITING_PER_ENDPOINT = 32;

function slotBusy(): DeliveryStep {
  return { kind: 'later', at: Date.now() + 100 + Math.floor(Math.random() * 200) };
}
const USER_AGENT = 'samtykke-gateway-webhooks/1';

/**
 * One attempt of one delivery (docs/events.md): Standard Webhooks headers signed with the endpoint's current
 * and (during a rotation) previous secret, to the address the SSRF guard checked, within the endpoint's
 * concurrency limit. Records the outcome and says when to try again.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly stopping = new AbortController();
  private readonly gate = new EndpointGate(MAX_WAITING_PER_ENDPOINT);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: WebhookDeliveriesRepository,
    private readonly events: EventsRepository,
    private readonly guard: WebhookAddressGuard,
    private readonly secretBox: WebhookSecretBox,
    private readonly slots: EndpointSlots,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Shutdown cuts attempts in flight; they are not counted and run again after the restart. */
  onModuleDestroy(): void {
    this.stopping.abort();
  }

  async deliver(tenantId: TenantId, deliveryId: string): Promise<DeliveryStep> {
    if (this.stopping.signal.aborted) return { kind: 'later', at: Date.now() + 1_000 };
    const target = await this.repository.findTarget(tenantId, deliveryId);
    if (!target || target.delivery.status === 'succeeded' || target.delivery.status === 'dead') {
      return { kind: 'done' };
    }
    if (!target.enabled) {
      await this.repository.markDead(tenantId, deliveryId, 'endpoint disabled');
      return { kind: 'done' };
    }
    // A failing endpoint gets one attempt at a time: its timeouts must not hold the fleet's slots.
    const limit = target.failingSince ? 1 : this.options.endpointConcurrency;
    const endpointId = target.delivery.endpointId;
    const leave = await this.gate.enter(endpointId, limit);
    if (!leave) return slotBusy();
    try {
      if (this.stopping.signal.aborted) return { kind: 'later', at: Date.now() + 1_000 };
      // Other workers may hold the endpoint's places fleet-wide.
      const holder = await this.slots.acquire(endpointId, limit, this.options.timeoutMs + 5_000);
      if (!holder) return slotBusy();
      try {
        const result = await this.attempt(target);
        if (this.stopping.signal.aborted) return { kind: 'later', at: Date.now() + 1_000 };
        return await this.record(tenantId, target, result);
      } finally {
        await this.slots.release(endpointId, holder).catch(() => undefined);
      }
    } finally {
      leave();
    }
  }

  private async attempt(target: DeliveryTarget): Promise<AttemptResult> {
    // Checked again at every attempt: DNS may have changed since the endpoint was saved.
    const destination = await this.guard.check(target.url);
    if (!destination.ok) return { kind: 'error', message: `refused: the URL ${destination.reason}` };
    const { delivery } = target;
    const now = new Date();
    const secrets = signingSecrets(
      {
        current: this.secretBox.open(delivery.endpointId, target.secrets.current),
        previous:
          target.secrets.previous && this.secretBox.open(delivery.endpointId, target.secrets.previous),
        previousExpiresAt: target.secrets.previousExpiresAt,
      },
      now,
    );
    const body = JSON.stringify(delivery.payload);
    return postWebhook({
      url: destination.url,
      address: destination.address,
      family: destination.family,
      body,
      timeoutMs: this.options.timeoutMs,
      signal: this.stopping.signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signatureHeader(secrets, delivery.id, now, body),
      },
    });
  }

  private async record(
    tenantId: TenantId,
    target: DeliveryTarget,
    result: AttemptResult,
  ): Promise<DeliveryStep> {
    const { delivery } = target;
    const now = new Date();
    const attempts = delivery.attempts + 1;
    const decision = decideAfterAttempt(
      { result, attemptsMade: attempts, failingSince: target.failingSince, now, random: Math.random() },
      { scale: this.options.retryScale, jitter: JITTER },
    );
    const statusCode = result.kind === 'response' ? result.status : null;
    const error =
      result.kind === 'error'
        ? result.message.slice(0, 500)
        : decision.kind === 'succeeded'
          ? null
          : `HTTP ${result.status}${result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : ''}`;
    const ref = {
      id: delivery.id,
      endpointId: delivery.endpointId,
      attempts: delivery.attempts,
      status: delivery.status,
    };
    // A retry or replay reset the row while this attempt ran: its fresh attempt runs now instead.
    const resetMeanwhile: DeliveryStep = { kind: 'later', at: Date.now() };
    const outcomes: Record<typeof decision.kind, WebhookOutcome> = {
      succeeded: 'delivered',
      retry: 'failed',
      exhausted: 'dead',
      disable_endpoint: 'disabled',
    };
    this.metrics?.webhookDelivery(outcomes[decision.kind]);
    switch (decision.kind) {
      case 'succeeded': {
        const recorded = await this.repository.recordAttempt(tenantId, ref, {
          status: 'succeeded',
          attempts,
          nextAttemptAt: now,
          statusCode,
          error,
          failingSince: null,
        });
        return recorded ? { kind: 'done' } : resetMeanwhile;
      }
      case 'retry': {
        const recorded = await this.repository.recordAttempt(tenantId, ref, {
          status: 'failed',
          attempts,
          nextAttemptAt: decision.at,
          statusCode,
          error,
          failingSince: decision.failingSince,
        });
        return recorded ? { kind: 'later', at: decision.at.getTime() } : resetMeanwhile;
      }
      case 'exhausted': {
        const recorded = await this.repository.recordAttempt(tenantId, ref, {
          status: 'dead',
          attempts,
          nextAttemptAt: now,
          statusCode,
          error,
          failingSince: decision.failingSince,
        });
        return recorded ? { kind: 'done' } : resetMeanwhile;
      }
      case 'disable_endpoint': {
        const disabled = await inTransaction(this.dataSource, async (manager) => {
          await this.repository.recordAttempt(
            tenantId,
            ref,
            {
              status: 'dead',
              attempts,
              nextAttemptAt: now,
              statusCode,
              error,
              failingSince: decision.failingSince,
            },
            manager,
          );
          const changed = await this.repository.disableEndpoint(
            manager,
            tenantId,
            delivery.endpointId,
            decision.reason,
          );
          if (changed) {
            await this.events.append(manager, {
              tenantId,
              type: 'webhook_endpoint.disabled',
              data: { status: 'disabled', endpointId: delivery.endpointId, reason: decision.reason },
            });
          }
          return changed;
        });
        if (disabled) {
          this.logger.warn(
            `Webhook endpoint ${delivery.endpointId} of tenant ${tenantId} disabled (${decision.reason === 'gone' ? '410 Gone' : 'failing since ' + decision.failingSince.toISOString()})`,
          );
        }
        return { kind: 'done' };
      }
    }
  }
}
