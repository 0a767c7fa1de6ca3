import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventsCommittedListener } from '@gw/events';
import { WebhookRelayService } from './webhook-relay.service';

/**
 * Wait this long after a kick before running, so commits arriving together are relayed together: a
 * consent's `consent.pending` and `consent.created` are usually a few milliseconds apart, and each run
 * costs the same four round trips however many events it carries.
 */
const GATHER_MS = 10;
/** Another relay holds the sequencer: look again shortly, it may have started before our commit. */
const BUSY_RETRY_MS = 25;

/**
 * Runs the outbox relay as soon as Postgres reports a commit that wrote events, instead of waiting for
 * the relay's schedule (which stays as the safety net). At most one run per process at a time; kicks
 * arriving during a run are folded into one more run after it.
 */
@Injectable()
export class OutboxRelayTrigger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayTrigger.name);
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly listener: EventsCommittedListener,
    private readonly relay: WebhookRelayService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.listener.subscribe(() => this.kick());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running || this.timer) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) void this.run();
    }, GATHER_MS);
  }

  private async run(): Promise<void> {
    this.running = true;
    this.again = false;
    let retryIn: number | null = null;
    try {
      const result = await this.relay.relay();
      if (result.busy) retryIn = BUSY_RETRY_MS;
    } catch (error) {
      // The scheduled run and the next commit try again; Postgres may be away.
      this.logger.warn(`Relay run failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    if (retryIn === null && !this.again) return;
    this.again = false;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) void this.run();
    }, retryIn ?? GATHER_MS);
  }
}
