import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { until } from '@test/resources';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** How a path answers its `n`-th request (1-based); `hang` never answers. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A real webhook receiver on 127.0.0.1: records every request and answers per path (200 by default).
 * Tracks requests in flight per path so tests can see concurrency.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly answers = new Map<string, (n: number) => Answer>();
  private readonly counts = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answer(path: string, answer: (n: number) => Answer): void {
    this.answers.set(path, answer);
  }

  /** Answers every hanging request of `path` with `status`. */
  release(path: string, status = 200): void {
    for (const response of this.hanging) {
      if ((response.req.url ?? '') === path) {
        response.writeHead(status).end();
        this.hanging.delete(response);
      }
    }
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  async waitFor(
    predicate: (received: ReceivedWebhook[]) => boolean,
    timeoutMs = 20_000,
    what = 'webhooks',
  ): Promise<void> {
    await until(what, () => predicate(this.received), { timeoutMs });
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/';
    const chunks: Buffer[] = [];
    const inFlight = (this.inFlight.get(path) ?? 0) + 1;
    this.inFlight.set(path, inFlight);
    this.maxInFlight.set(path, Math.max(this.maxInFlight.get(path) ?? 0, inFlight));
    response.on('close', () => this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      this.received.push({
        path,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const n = (this.counts.get(path) ?? 0) + 1;
      this.counts.set(path, n);
      const answer = this.answers.get(path)?.(n) ?? { status: 200 };
      if (answer === 'hang') {
        this.hanging.add(response);
        return;
      }
      response.writeHead(answer.status, answer.headers).end();
    });
  }
}
