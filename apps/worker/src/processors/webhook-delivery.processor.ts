import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { delayJob, parseJob, QueueName } from '@gw/queue';
import { WebhookDeliveryService } from '@gw/webhooks';

/**
 * `webhook-delivery`: one attempt per run (jobId = delivery id). A retry, a wait for an endpoint slot or
 * a shutdown re-delays this same job, so the delivery keeps one job and one `webhook-id` throughout.
 *
 * A job whose worker died is handed on once its lock lapses and the stalled check sees it: 30 s + 30 s
 * by BullMQ's defaults, a few seconds here. Locks are renewed every half `lockDuration` whatever the
 * attempt takes; only an event loop blocked that long would let a live attempt be run twice, which
 * the receiver dedupes by `webhook-id`.
 */
@Processor(QueueName.WebhookDelivery, { concurrency: 64, lockDuration: 5_000, stalledInterval: 2_500 })
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(private readonly deliveries: WebhookDeliveryService) {
    super();
  }

  async process(job: Job, token?: string): Promise<void> {
    const { payload } = parseJob(QueueName.WebhookDelivery, job);
    const step = await this.deliveries.deliver(payload.tenantId, payload.deliveryId);
    if (step.kind === 'later') await delayJob(job, step.at, token);
  }
}
