import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultTenant, type FeedEvent } from './fault-stack';

/** Percentiles of a list of lags (ms), as one plain line's fields. */
export function lagSummary(lags: readonly number[]): string {
  if (lags.length === 0) return 'n=0';
  const sorted = [...lags].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return `n=${sorted.length} p50=${at(0.5)} ms p99=${at(0.99)} ms max=${sorted[sorted.length - 1]} ms`;
}

/**
 * A consumer of every tenant's `/v1/events`, as a bank polls it: from `after=0`, following `next`,
 * storing the last id as its cursor. Records when it first saw each event (its feed lag is that minus
 * `occurredAt`) and whatever breaks the feed's promise: an id not above the cursor, or an id seen twice.
 */
export class FeedWatcher {
  /** Per tenant, the events in the order this consumer received them. */
  readonly received = new Map<string, FeedEvent[]>();
  /** Event id → when this consumer first saw it (ms). */
  readonly seenAt = new Map<string, number>();
  readonly problems: string[] = [];
  private readonly cursors = new Map<string, string>();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly tenants: readonly FaultTenant[],
    private readonly gatewayUrls: readonly string[],
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      let round = 0;
      while (this.running) {
        for (const tenant of this.tenants) {
          // Alternate gateways: every replica must serve the same feed.
          await this.poll(tenant, this.gatewayUrls[round % this.gatewayUrls.length]).catch(() => undefined);
        }
        round += 1;
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Reads until the tenant's feed has nothing after the cursor. */
  async poll(tenant: FaultTenant, gatewayUrl: string): Promise<void> {
    for (;;) {
      const after = this.cursors.get(tenant.tenantId) ?? '0';
      const response = await fetch(`${gatewayUrl}/v1/events?limit=500&after=${after}`, {
        headers: { authorization: `Bearer ${tenant.key}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 200) {
        await response.text();
        return; // an outage answer: the next round asks again from the same cursor
      }
      const page = (await response.json()) as { data: FeedEvent[]; next: string | null };
      const now = Date.now();
      const list = this.received.get(tenant.tenantId) ?? [];
      this.received.set(tenant.tenantId, list);
      for (const event of page.data) {
        if (BigInt(event.id) <= BigInt(this.cursors.get(tenant.tenantId) ?? '0'))
          this.problems.push(`${tenant.orgNumber}: event ${event.id} came after the cursor had passed it`);
        if (this.seenAt.has(event.id))
          this.problems.push(`${tenant.orgNumber}: event ${event.id} came twice`);
        else this.seenAt.set(event.id, now);
        list.push(event);
        this.cursors.set(tenant.tenantId, event.id);
      }
      if (!page.next || page.data.length === 0) return;
    }
  }
}
