import { setTimeout as sleep } from 'node:timers/promises';
import { createBody, OTHER_PERSON, PERSON } from '@test/seed';

export const PERSONS = [PERSON, OTHER_PERSON];

/** Seed 000's create body for `person`. */
export function consentBody(person: string): Record<string, unknown> {
  return createBody({}, person);
}

export interface LoadTenant {
  orgNumber: string;
  key: string;
}

/** A consent request the gateway answered with 2xx: it must never be lost. */
export interface AcceptedPost {
  id: string;
  orgNumber: string;
  status: number;
}

/**
 * A steady stream of `POST /v1/consent-requests`, round-robin over the tenants, at a fixed rate whatever
 * the answers take (requests overlap). Records every 2xx (those must never be lost) and counts the rest:
 * during an outage the gateway may refuse, which loses nothing because the tenant was told.
 */
export class ConsentLoad {
  readonly accepted: AcceptedPost[] = [];
  readonly refused = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  sent = 0;

  private readonly gatewayUrls: readonly string[];

  /** Several gateway URLs: requests go round-robin over them, as a load balancer spreads them. */
  constructor(
    gatewayUrls: string | readonly string[],
    private readonly tenants: readonly LoadTenant[],
  ) {
    this.gatewayUrls = typeof gatewayUrls === 'string' ? [gatewayUrls] : gatewayUrls;
  }

  start(perSecond: number): void {
    if (this.running) return;
    this.running = true;
    const interval = 1000 / perSecond;
    this.loop = (async () => {
      let next = Date.now();
      while (this.running) {
        const post = this.post(
          this.gatewayUrls[this.sent % this.gatewayUrls.length],
          this.tenants[this.sent % this.tenants.length],
          PERSONS[this.sent % 2],
        );
        this.sent += 1;
        this.inFlight.add(post);
        void post.finally(() => this.inFlight.delete(post));
        next += interval;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
  }

  /** Stops sending and waits for every answer (or the client-side timeout). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.inFlight]);
  }

  refusedTotal(): number {
    return [...this.refused.values()].reduce((sum, n) => sum + n, 0);
  }

  private async post(gatewayUrl: string, tenant: LoadTenant, person: string): Promise<void> {
    try {
      const response = await fetch(`${gatewayUrl}/v1/consent-requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(consentBody(person)),
        // A gateway waiting on a Redis that is down holds the request; give up as a client would.
        signal: AbortSignal.timeout(45_000),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        const body = JSON.parse(text) as { id: string };
        this.accepted.push({ id: body.id, orgNumber: tenant.orgNumber, status: response.status });
      } else {
        this.count(`HTTP ${response.status}`);
      }
    } catch (error) {
      this.count(error instanceof Error ? error.name : 'error');
    }
  }

  private count(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }
}
