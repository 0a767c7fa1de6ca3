import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { EventsRepository } from '@gw/events';
import { inTransaction, uuidV7 } from '@gw/persistence';
import { inStoredTrace, tracingIsOn } from '@gw/tracing';
import {
  type JobPayloads,
  keepJobScheduler,
  QueueName,
  type RestoreReason,
  ScheduleKeeper,
  schedulerIds,
} from '@gw/queue';
import { planDeliveries } from './domain/fan-out';
import { WebhookDeliveryQueue } from './webhook-delivery.queue';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';
import { WebhookRelayRepository } from './webhook-relay.repository';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;
/**
 * An open delivery this far past its attempt time may have lost its job. Only a hint: a delivery whose
 * job exists is left alone, so this need only outlast the moment between commit and enqueue.
 */
const SWEEP_GRACE_MS = 5_000;
const SWEEP_EVERY_MS = 10_000;
/** Overdue deliveries looked at per sweep; one Redis command each, all in flight together. */
const SWEEP_LIMIT = 500;
/** At start and after Redis lost its data: everything overdue may have lost its job. */
const RESTORE_LIMIT = 5_000;

/**
 * The outbox relay: sequences committed events (see `EventsRepository.sequence`) and, in the same
 * transaction, creates one delivery per (event, matching enabled endpoint). The sequencer's lock makes it
 * one run at a time fleet-wide, and the unique (event, endpoint) key makes a repeat a no-op anyway. Jobs
 * are queued after commit; a crash in between leaves deliveries without a job, which the sweep re-queues.
 * Runs when Postgres reports a commit that wrote events (`OutboxRelayTrigger`) and on a schedule.
 */
@Injectable()
export class WebhookRelayService implements OnModuleInit {
  private readonly logger = new Logger(WebhookRelayService.name);
  private lastSweep = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly repository: WebhookRelayRepository,
    private readonly deliveries: WebhookDeliveryQueue,
    @InjectQueue(QueueName.WebhookRelay) private readonly relayQueue: Queue<JobPayloads['webhook-relay']>,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
    @Optional() private readonly keeper?: ScheduleKeeper,
  ) {}

  /** The relay's scheduler, kept by the keeper; lost delivery jobs restored at start and after a flush. */
  onModuleInit(): void {
    this.keeper?.register({
      name: 'the webhook relay',
      ensure: () =>
        keepJobScheduler(this.relayQueue, schedulerIds.webhookRelay(), this.options.relayIntervalMs, {
          name: 'relay',
        }),
      restore: async (reason) => void (await this.restoreDeliveries(reason)),
    });
  }

  /**
   * Re-queues open deliveries whose job is gone, at once: at start those a crash lost between commit
   * and enqueue, after Redis lost its data every one that was due. An attempt cut by a worker's death
   * was never recorded (the row records an attempt only when it ends), so it simply runs again.
   */
  async restoreDeliveries(reason: RestoreReason, now = new Date()): Promise<number> {
    const before = reason === 'lost' ? now : new Date(now.getTime() - SWEEP_GRACE_MS);
    const restored = await this.deliveries.restoreMissing(
      await this.repository.overdue(before, RESTORE_LIMIT),
    );
    if (restored > 0) this.logger.warn(`Re-queued ${restored} webhook deliveries whose jobs were lost`);
    return restored;
  }

  /** One relay run: fan out new events in batches, then (now and then) re-queue lost deliveries. */
  async relay(
    now = new Date(),
  ): Promise<{ events: number; deliveries: number; restored: number; busy: boolean }> {
    let events = 0;
    let busy = false;
    let deliveries = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const result = await this.relayBatch();
      events += result.events;
      deliveries += result.deliveries;
      busy = result.busy;
      if (result.events < BATCH) break;
    }
    let restored = 0;
    if (now.getTime() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now.getTime();
      restored = await this.deliveries.restoreMissing(
        await this.repository.overdue(new Date(now.getTime() - SWEEP_GRACE_MS), SWEEP_LIMIT),
      );
    }
    return { events, deliveries, restored, busy };
  }

  /**
   * Sequences a batch of committed events and fans it out in the same transaction, so an event gets its
   * public position exactly when its deliveries exist. `busy` when another relay holds the sequencer.
   */
  private async relayBatch(): Promise<{ events: number; deliveries: number; busy: boolean }> {
    const created = await inTransaction(this.dataSource, async (manager) => {
      const events = await this.events.sequence(manager, BATCH);
      if (events === null) return { events: 0, inserted: [], busy: true };
      if (events.length === 0) return { events: 0, inserted: [], busy: false };
      const tenantIds = [...new Set(events.map((event) => event.tenantId))];
      const { endpoints, orgs } = await this.repository.relayTargets(manager, tenantIds);
      const planned = planDeliveries(events, endpoints, orgs, () => uuidV7());
      const inserted = await this.repository.insertPlanned(manager, planned);
      return { events: events.length, inserted, busy: false };
    });
    await this.enqueueInEventTraces(created.inserted);
    return { events: created.events, deliveries: created.inserted.length, busy: created.busy };
  }

  /**
   * Queues the deliveries; with tracing on, each inside the trace of the consent whose event it carries
   * (linked to this relay run), so one trace runs from the request to the webhook.
   */
  private async enqueueInEventTraces(deliveries: readonly { id: string; tenantId: string }[]): Promise<void> {
    if (!tracingIsOn()) return this.deliveries.enqueue(deliveries);
    const traceparents = await this.repository.eventTraceparents(deliveries.map(({ id }) => id));
    const byTrace = new Map<string | undefined, { id: string; tenantId: string }[]>();
    for (const delivery of deliveries) {
      const traceparent = traceparents.get(delivery.id);
      const group = byTrace.get(traceparent);
      if (group) group.push(delivery);
      else byTrace.set(traceparent, [delivery]);
    }
    for (const [traceparent, group] of byTrace) {
      await inStoredTrace(traceparent, 'webhook-relay fan-out', () => this.deliveries.enqueue(group));
    }
  }
}
