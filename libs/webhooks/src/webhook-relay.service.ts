import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { EventsRepository } from '@gw/events';
import { inTransaction, uuidV7 } from '@gw/persistence';
import { type JobPayloads, QueueName } from '@gw/queue';
import { planDeliveries } from './domain/fan-out';
import { WebhookDeliveryQueue } from './webhook-delivery.queue';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';
import { WebhooksRepository } from './webhooks.repository';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;
/** An open delivery this far past its attempt time has probably lost its job. */
const SWEEP_GRACE_MS = 60_000;
const SWEEP_EVERY_MS = 30_000;

/**
 * The outbox relay (DESIGN flow 5): reads `events` after its cursor, creates one delivery per (event,
 * matching enabled endpoint) and queues them. Cursor, deliveries and the cursor's advance commit together
 * under a row lock, so relays in several workers never fan out the same event twice, and the unique
 * (event, endpoint) key makes a repeat a no-op anyway. Jobs are queued after commit; a crash in between
 * leaves deliveries without a job, which the sweep re-queues.
 */
@Injectable()
export class WebhookRelayService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookRelayService.name);
  private lastSweep = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly repository: WebhooksRepository,
    private readonly deliveries: WebhookDeliveryQueue,
    @InjectQueue(QueueName.WebhookRelay) private readonly relayQueue: Queue<JobPayloads['webhook-relay']>,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  onApplicationBootstrap(): void {
    void this.relayQueue
      .upsertJobScheduler('webhook-relay', { every: this.options.relayIntervalMs }, { name: 'relay' })
      .catch((error: unknown) =>
        this.logger.error(
          `Could not schedule the webhook relay: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  /** One relay run: fan out new events in batches, then (now and then) re-queue lost deliveries. */
  async relay(now = new Date()): Promise<{ events: number; deliveries: number; restored: number }> {
    let events = 0;
    let deliveries = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const result = await this.relayBatch();
      events += result.events;
      deliveries += result.deliveries;
      if (result.events < BATCH) break;
    }
    let restored = 0;
    if (now.getTime() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now.getTime();
      restored = await this.deliveries.restoreMissing(
        await this.repository.overdue(new Date(now.getTime() - SWEEP_GRACE_MS), 200),
      );
    }
    return { events, deliveries, restored };
  }

  private async relayBatch(): Promise<{ events: number; deliveries: number }> {
    const created = await inTransaction(this.dataSource, async (manager) => {
      const cursor = await this.repository.lockRelayCursor(manager);
      const events = await this.events.since(cursor, BATCH);
      const last = events[events.length - 1];
      if (!last) return { events: 0, inserted: [] };
      const tenantIds = [...new Set(events.map((event) => event.tenantId))];
      const { endpoints, orgs } = await this.repository.relayTargets(manager, tenantIds);
      const planned = planDeliveries(events, endpoints, orgs, () => uuidV7());
      const inserted = await this.repository.insertPlanned(manager, planned);
      await this.repository.advanceRelayCursor(manager, last.id);
      return { events: events.length, inserted };
    });
    await this.deliveries.enqueue(created.inserted);
    return { events: created.events, deliveries: created.inserted.length };
  }
}
