import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** The channel the `events_notify_committed` trigger notifies once per transaction that wrote events. */
export const EVENTS_COMMITTED_CHANNEL = 'events_committed';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * Tells subscribers, within milliseconds, that a transaction which wrote events has committed (Postgres
 * LISTEN on a connection of its own, outside the pool). Notifications are hints, not data: one may stand
 * for many commits, and while the connection is down none arrive, so subscribers keep a polling safety
 * net; after a reconnect every subscriber is called once, for what it may have missed.
 */
@Injectable()
export class EventsCommittedListener implements OnApplicationShutdown {
  private readonly logger = new Logger(EventsCommittedListener.name);
  private readonly subscribers = new Set<() => void>();
  private client: Client | null = null;
  private started = false;
  private closed = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `onCommitted` after commits that wrote events; the first subscription opens the connection. */
  subscribe(onCommitted: () => void): () => void {
    this.subscribers.add(onCommitted);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return () => this.subscribers.delete(onCommitted);
  }

  private notify(): void {
    for (const subscriber of this.subscribers) subscriber();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const options = this.dataSource.options as { url?: string; applicationName?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'samtykke-gateway'}-listen`,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('notification', () => this.notify());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_COMMITTED_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`Cannot listen for committed events yet: ${(error as Error).message}`);
      this.lost(client);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    // Commits while we were not listening went unannounced.
    this.notify();
  }

  private lost(client: Client): void {
    if (this.client === client) this.client = null;
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
