import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { jobIds, type JobPayloads, jobOf, QueueName } from '@gw/queue';

type DeliveryJob = JobPayloads['webhook-delivery'];

const RESTORE_CHUNK = 500;

/** Jobs of the `webhook-delivery` queue: jobId = delivery id, so a delivery never has two jobs. */
@Injectable()
export class WebhookDeliveryQueue {
  constructor(@InjectQueue(QueueName.WebhookDelivery) private readonly queue: Queue<DeliveryJob>) {}

  /** Adds one job per delivery; a delivery whose job still exists keeps it. */
  async enqueue(deliveries: readonly { id: string; tenantId: string }[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map(({ id, tenantId }) =>
        jobOf(
          QueueName.WebhookDelivery,
          'deliver',
          { tenantId, deliveryId: id },
          { jobId: jobIds.webhookDelivery(id) },
        ),
      ),
    );
  }

  /**
   * Makes a delivery's job run now: a job waiting out a retry delay is promoted, a failed one retried,
   * a missing one (finished and removed, or lost) added again.
   */
  async runNow(delivery: { id: string; tenantId: string }): Promise<void> {
    const job = await this.queue.getJob(jobIds.webhookDelivery(delivery.id));
    const state = job ? await job.getState() : 'unknown';
    if (job && state === 'delayed') await job.promote();
    else if (job && state === 'failed') await job.retry('failed');
    else if (!job || state === 'unknown' || state === 'completed') {
      if (job && state === 'completed') await job.remove();
      await this.enqueue([delivery]);
    }
  }

  /**
   * Re-adds deliveries whose job is gone (a crash between commit and enqueue, a Redis that lost its
   * data) and runs failed ones again; returns how many. One command per delivery, all in flight
   * together, so the thousands a flush leaves behind take a few round trips, not thousands.
   */
  async restoreMissing(deliveries: readonly { id: string; tenantId: string }[]): Promise<number> {
    let restored = 0;
    for (let start = 0; start < deliveries.length; start += RESTORE_CHUNK) {
      const chunk = deliveries.slice(start, start + RESTORE_CHUNK);
      const states = await Promise.all(
        chunk.map(({ id }) => this.queue.getJobState(jobIds.webhookDelivery(id))),
      );
      const missing = chunk.filter((_, index) => states[index] === 'unknown');
      await this.enqueue(missing);
      restored += missing.length;
      for (const [index, delivery] of chunk.entries()) {
        if (states[index] !== 'completed' && states[index] !== 'failed') continue;
        await this.runNow(delivery);
        restored += 1;
      }
    }
    return restored;
  }
}
