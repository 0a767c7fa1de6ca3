import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { parseJob, QueueName } from '@gw/queue';
import { WebhookRelayService } from '@gw/webhooks';

/** `webhook-relay`: the outbox relay's scheduled run; one at a time per worker (the cursor lock serialises the fleet). */
@Processor(QueueName.WebhookRelay, { concurrency: 1 })
export class WebhookRelayProcessor extends WorkerHost {
  constructor(private readonly relay: WebhookRelayService) {
    super();
  }

  process(job: Job): Promise<unknown> {
    parseJob(QueueName.WebhookRelay, job);
    return this.relay.relay();
  }
}
