import { type EntityManager } from 'typeorm';
import { type FakeDataSource, InMemoryTable, settled } from '@gw/persistence/testing';
import { type TenantId } from '@gw/tenants';
import { type AttemptResult } from '../src/domain/delivery-schedule';
import { type WebhookPayload } from '../src/domain/webhook-payload';
import { type EndpointSlots } from '../src/endpoint-slots';
import { WebhookAddressGuard } from '../src/webhook-address-guard';
import { type OutgoingWebhook } from '../src/webhook-transport';
import {
  type DeliveryStatus,
  type DisabledReason,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../src/webhook-endpoint.entity';
import { type DeliveryTarget, type WebhookDeliveriesRepository } from '../src/webhook-deliveries.repository';
import { type EndpointPatch, type WebhookEndpointsRepository } from '../src/webhook-endpoints.repository';

interface StoredEndpoint extends WebhookEndpoint {
  secret: Buffer;
  previousSecret: Buffer | null;
}

type EndpointsMethod =
  | 'insertEndpoint'
  | 'findEndpoint'
  | 'lockEndpoint'
  | 'listEndpoints'
  | 'updateEndpoint'
  | 'deleteEndpoint'
  | 'rotateSecret'
  | 'insertDelivery'
  | 'findDelivery'
  | 'listDeliveries'
  | 'requeue'
  | 'disableAllEndpoints';
type DeliveriesMethod = 'findTarget' | 'recordAttempt' | 'markDead' | 'disableEndpoint';

/**
 * `webhook_endpoints` and `webhook_deliveries` in memory behind both repositories that share them (the
 * endpoints' and the deliveries'), with the real repositories' rules: every read and write names the
 * tenant, pages hold `limit + 1` rows, enabling clears the failure streak, disabling ends open
 * deliveries, and an attempt is recorded only while the row is as the attempt found it.
 */
export class FakeWebhookRepositories
  implements
    Pick<WebhookEndpointsRepository, EndpointsMethod>,
    Pick<WebhookDeliveriesRepository, DeliveriesMethod>
{
  private readonly endpoints = new InMemoryTable<StoredEndpoint>();
  private readonly deliveries = new InMemoryTable<WebhookDelivery>();

  constructor(
    private readonly db: FakeDataSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.register(this.endpoints);
    db.register(this.deliveries);
  }

  /** The sealed secrets as stored: what a test opens to check the one it was shown. */
  sealedSecrets(id: string): { current: Buffer; previous: Buffer | null } | undefined {
    const endpoint = this.endpoints.get(id);
    return endpoint && { current: endpoint.secret, previous: endpoint.previousSecret };
  }

  /** A delivery as stored, whichever tenant it belongs to. */
  delivery(id: string): WebhookDelivery | undefined {
    return this.deliveries.get(id);
  }

  /** A delivery in any state, for arranging a test. */
  seedDelivery(
    tenantId: TenantId,
    delivery: Partial<WebhookDelivery> & { id: string; endpointId: string; payload: WebhookPayload },
  ): WebhookDelivery {
    const at = this.now();
    const seeded: WebhookDelivery = {
      tenantId,
      eventId: null,
      eventType: delivery.payload.type,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      createdAt: at,
      updatedAt: at,
      ...delivery,
    };
    this.deliveries.set(seeded.id, seeded);
    return seeded;
  }

  /** Changes an endpoint behind the service's back (another request, a relay, the clock). */
  alterEndpoint(id: string, changes: Partial<WebhookEndpoint>): void {
    const endpoint = this.endpoints.get(id);
    if (endpoint) this.endpoints.set(id, { ...endpoint, ...changes });
  }

  insertEndpoint(
    tenantId: TenantId,
    endpoint: { id: string; url: string; eventTypes: string[]; secret: Buffer },
    manager?: EntityManager,
  ): Promise<WebhookEndpoint> {
    return settled(() => {
      this.db.assertOpen(manager);
      const at = this.now();
      const stored: StoredEndpoint = {
        id: endpoint.id,
        tenantId,
        url: endpoint.url,
        eventTypes: endpoint.eventTypes,
        enabled: true,
        disabledReason: null,
        failingSince: null,
        previousSecretExpiresAt: null,
        createdAt: at,
        updatedAt: at,
        secret: endpoint.secret,
        previousSecret: null,
      };
      this.endpoints.set(endpoint.id, stored);
      return publicOf(stored);
    });
  }

  findEndpoint(tenantId: TenantId, id: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.ownEndpoint(tenantId, id);
    return Promise.resolve(endpoint && publicOf(endpoint));
  }

  lockEndpoint(manager: EntityManager, tenantId: TenantId, id: string): Promise<WebhookEndpoint | undefined> {
    return this.withOwnEndpoint(manager, tenantId, id, publicOf);
  }

  listEndpoints(tenantId: TenantId, after: string | undefined, limit: number): Promise<WebhookEndpoint[]> {
    const rows = this.endpoints
      .values()
      .filter((endpoint) => endpoint.tenantId === tenantId && (after === undefined || endpoint.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit + 1);
    return Promise.resolve(rows.map(publicOf));
  }

  updateEndpoint(
    tenantId: TenantId,
    id: string,
    patch: EndpointPatch,
    manager?: EntityManager,
  ): Promise<WebhookEndpoint | undefined> {
    return this.withOwnEndpoint(manager, tenantId, id, (endpoint) => {
      const updated: StoredEndpoint = {
        ...endpoint,
        url: patch.url ?? endpoint.url,
        eventTypes: patch.eventTypes ?? endpoint.eventTypes,
        enabled: patch.enabled ?? endpoint.enabled,
        disabledReason:
          patch.enabled === undefined
            ? endpoint.disabledReason
            : patch.enabled
              ? null
              : (endpoint.disabledReason ?? 'manual'),
        failingSince: patch.enabled === true ? null : endpoint.failingSince,
        updatedAt: this.now(),
      };
      this.endpoints.set(id, updated);
      if (patch.enabled === false) this.endOpenDeliveries(tenantId, id, 'endpoint disabled');
      return publicOf(updated);
    });
  }

  deleteEndpoint(
    tenantId: TenantId,
    id: string,
    manager?: EntityManager,
  ): Promise<WebhookEndpoint | undefined> {
    return this.withOwnEndpoint(manager, tenantId, id, (endpoint) => {
      this.endpoints.delete(id);
      for (const delivery of this.deliveries.values()) {
        if (delivery.endpointId === id) this.deliveries.delete(delivery.id);
      }
      return publicOf(endpoint);
    });
  }

  rotateSecret(
    tenantId: TenantId,
    id: string,
    secret: Buffer,
    previousExpiresAt: Date,
    manager?: EntityManager,
  ): Promise<WebhookEndpoint | undefined> {
    return this.withOwnEndpoint(manager, tenantId, id, (endpoint) => {
      const rotated: StoredEndpoint = {
        ...endpoint,
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: previousExpiresAt,
        secret,
        updatedAt: this.now(),
      };
      this.endpoints.set(id, rotated);
      return publicOf(rotated);
    });
  }

  insertDelivery(
    tenantId: TenantId,
    delivery: { id: string; endpointId: string; eventType: string; payload: WebhookPayload },
    manager?: EntityManager,
  ): Promise<WebhookDelivery> {
    return settled(() => {
      this.db.assertOpen(manager);
      if (!this.ownEndpoint(tenantId, delivery.endpointId)) throw new Error('no endpoint row to insert from');
      return this.seedDelivery(tenantId, delivery);
    });
  }

  findDelivery(tenantId: TenantId, id: string): Promise<WebhookDelivery | undefined> {
    const delivery = this.deliveries.get(id);
    return Promise.resolve(delivery?.tenantId === tenantId ? delivery : undefined);
  }

  listDeliveries(
    tenantId: TenantId,
    endpointId: string,
    filter: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<WebhookDelivery[]> {
    const rows = this.deliveries
      .values()
      .filter(
        (delivery) =>
          delivery.tenantId === tenantId &&
          delivery.endpointId === endpointId &&
          (filter.status === undefined || delivery.status === filter.status) &&
          (filter.before === undefined || delivery.id < filter.before),
      )
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, filter.limit + 1);
    return Promise.resolve(rows);
  }

  requeue(
    tenantId: TenantId,
    endpointId: string,
    filter: { deliveryId: string } | { since: Date },
    manager?: EntityManager,
  ): Promise<WebhookDelivery[]> {
    return settled(() => {
      this.db.assertOpen(manager);
      const chosen = this.deliveries
        .values()
        .filter(
          (delivery) =>
            delivery.tenantId === tenantId &&
            delivery.endpointId === endpointId &&
            ('deliveryId' in filter
              ? delivery.id === filter.deliveryId && delivery.status !== 'pending'
              : delivery.createdAt >= filter.since && ['failed', 'dead'].includes(delivery.status)),
        );
      return chosen.map((delivery) => {
        const now = this.now();
        const requeued = {
          ...delivery,
          status: 'pending' as const,
          attempts: 0,
          nextAttemptAt: now,
          lastError: null,
          updatedAt: now,
        };
        this.deliveries.set(delivery.id, requeued);
        return requeued;
      });
    });
  }

  findTarget(tenantId: TenantId, deliveryId: string): Promise<DeliveryTarget | undefined> {
    const delivery = this.deliveries.get(deliveryId);
    const endpoint =
      delivery?.tenantId === tenantId ? this.ownEndpoint(tenantId, delivery.endpointId) : undefined;
    return Promise.resolve(
      delivery &&
        endpoint && {
          delivery,
          url: endpoint.url,
          enabled: endpoint.enabled,
          failingSince: endpoint.failingSince,
          secrets: {
            current: endpoint.secret,
            previous: endpoint.previousSecret,
            previousExpiresAt: endpoint.previousSecretExpiresAt,
          },
        },
    );
  }

  recordAttempt(
    ...[tenantId, delivery, attempt, manager]: Parameters<WebhookDeliveriesRepository['recordAttempt']>
  ): Promise<boolean> {
    return settled(() => {
      this.db.assertOpen(manager);
      const endpoint = this.ownEndpoint(tenantId, delivery.endpointId);
      if (endpoint) {
        const failingSince =
          attempt.failingSince === null ? null : (endpoint.failingSince ?? attempt.failingSince);
        this.endpoints.set(endpoint.id, { ...endpoint, failingSince });
      }
      const row = this.deliveries.get(delivery.id);
      if (
        !row ||
        row.tenantId !== tenantId ||
        row.attempts !== delivery.attempts ||
        row.status !== delivery.status
      ) {
        return false;
      }
      const now = this.now();
      this.deliveries.set(row.id, {
        ...row,
        status: attempt.status,
        attempts: attempt.attempts,
        nextAttemptAt: attempt.nextAttemptAt,
        lastAttemptAt: now,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        updatedAt: now,
      });
      return true;
    });
  }

  markDead(tenantId: TenantId, deliveryId: string, reason: string): Promise<void> {
    const delivery = this.deliveries.get(deliveryId);
    if (delivery?.tenantId === tenantId && (delivery.status === 'pending' || delivery.status === 'failed')) {
      this.deliveries.set(deliveryId, {
        ...delivery,
        status: 'dead',
        lastError: reason,
        updatedAt: this.now(),
      });
    }
    return Promise.resolve();
  }

  disableEndpoint(
    manager: EntityManager,
    tenantId: TenantId,
    endpointId: string,
    reason: DisabledReason,
  ): Promise<boolean> {
    return settled(() => {
      this.db.assertOpen(manager);
      const endpoint = this.ownEndpoint(tenantId, endpointId);
      if (!endpoint?.enabled) return false;
      this.endpoints.set(endpointId, {
        ...endpoint,
        enabled: false,
        disabledReason: reason,
        updatedAt: this.now(),
      });
      this.endOpenDeliveries(tenantId, endpointId, 'endpoint disabled');
      return true;
    });
  }

  disableAllEndpoints(manager: EntityManager, tenantId: TenantId): Promise<void> {
    return settled(() => {
      this.db.assertOpen(manager);
      for (const endpoint of this.endpoints.values()) {
        if (endpoint.tenantId !== tenantId || !endpoint.enabled) continue;
        this.endpoints.set(endpoint.id, { ...endpoint, enabled: false, disabledReason: 'offboarded' });
        this.endOpenDeliveries(tenantId, endpoint.id, 'tenant offboarded');
      }
    });
  }

  asWebhookEndpointsRepository(): WebhookEndpointsRepository {
    return this as unknown as WebhookEndpointsRepository;
  }

  asWebhookDeliveriesRepository(): WebhookDeliveriesRepository {
    return this as unknown as WebhookDeliveriesRepository;
  }

  /** `work` on the tenant's endpoint inside `manager`'s transaction; undefined when the tenant has no such endpoint. */
  private withOwnEndpoint<T>(
    manager: EntityManager | undefined,
    tenantId: TenantId,
    id: string,
    work: (endpoint: StoredEndpoint) => T,
  ): Promise<T | undefined> {
    return settled(() => {
      this.db.assertOpen(manager);
      const endpoint = this.ownEndpoint(tenantId, id);
      return endpoint && work(endpoint);
    });
  }

  private ownEndpoint(tenantId: TenantId, id: string): StoredEndpoint | undefined {
    const endpoint = this.endpoints.get(id);
    return endpoint?.tenantId === tenantId ? endpoint : undefined;
  }

  private endOpenDeliveries(tenantId: TenantId, endpointId: string, reason: string): void {
    for (const delivery of this.deliveries.values()) {
      if (delivery.tenantId !== tenantId || delivery.endpointId !== endpointId) continue;
      if (delivery.status !== 'pending' && delivery.status !== 'failed') continue;
      this.deliveries.set(delivery.id, {
        ...delivery,
        status: 'dead',
        lastError: reason,
        updatedAt: this.now(),
      });
    }
  }
}

function publicOf(endpoint: StoredEndpoint): WebhookEndpoint {
  const { secret: _secret, previousSecret: _previous, ...shown } = endpoint;
  return shown;
}

/**
 * The SSRF guard over a fixed DNS table instead of the resolver: a host not in it does not resolve.
 * `records` may be changed between calls (DNS that changed since the endpoint was saved).
 */
export function guardWithDns(
  records: Map<string, string[]>,
  policy: ConstructorParameters<typeof WebhookAddressGuard>[0] = { allowHttp: false, allowList: [] },
): WebhookAddressGuard {
  return new WebhookAddressGuard(policy, (hostname) => {
    const addresses = records.get(hostname);
    return addresses
      ? Promise.resolve(addresses)
      : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  });
}

/** The fleet-wide endpoint semaphore without Redis; `held` counts places taken per endpoint. */
export class FakeEndpointSlots implements Pick<EndpointSlots, 'acquire' | 'release'> {
  readonly held = new Map<string, Set<string>>();
  private counter = 0;

  /** Takes `count` places of the endpoint as other workers would. */
  occupy(endpointId: string, count: number): void {
    for (let i = 0; i < count; i += 1) this.take(endpointId);
  }

  acquire(endpointId: string, limit: number): Promise<string | null> {
    const holders = this.held.get(endpointId);
    return Promise.resolve((holders?.size ?? 0) >= limit ? null : this.take(endpointId));
  }

  release(endpointId: string, holder: string): Promise<void> {
    this.held.get(endpointId)?.delete(holder);
    return Promise.resolve();
  }

  asEndpointSlots(): EndpointSlots {
    return this as unknown as EndpointSlots;
  }

  private take(endpointId: string): string {
    this.counter += 1;
    const holder = `holder-${this.counter}`;
    const holders = this.held.get(endpointId) ?? new Set<string>();
    holders.add(holder);
    this.held.set(endpointId, holders);
    return holder;
  }
}

/** One POST as the receiver got it. */
export interface ReceivedWebhook {
  url: string;
  address: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver standing in for `postWebhook` (no socket): it keeps what it was sent and answers
 * with `answer`, a 204 unless a test says otherwise; `answer` may also act meanwhile (a retry requested
 * while the attempt runs).
 */
export class FakeReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (request: ReceivedWebhook) => AttemptResult | Promise<AttemptResult> = () => ({
    kind: 'response',
    status: 204,
  });

  receive(outgoing: OutgoingWebhook): Promise<AttemptResult> {
    const request: ReceivedWebhook = {
      url: outgoing.url.toString(),
      address: outgoing.address,
      headers: outgoing.headers,
      body: outgoing.body,
    };
    this.received.push(request);
    return Promise.resolve(this.answer(request));
  }
}
