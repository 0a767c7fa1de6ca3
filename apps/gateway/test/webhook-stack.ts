import { randomBytes } from 'node:crypto';
import { until } from '@test/resources';
import { loadConfig, workerConfigSchema } from '@gw/config';
import { startWorker } from '../../worker/src/worker.bootstrap';
import { ConsentStack, PROVIDER_ORG } from './consent-stack';
import { WebhookReceiver } from './webhook-receiver';

/** A delivery as `GET /v1/webhook-endpoints/{id}/deliveries` shows it. */
export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string | null;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

/**
 * The whole stack plus a real webhook receiver on 127.0.0.1, allow-listed (on its port only) with http
 * allowed, the retry schedule scaled to milliseconds, and a worker that can be stopped and started again.
 */
export class WebhookStack extends ConsentStack {
  readonly receiver = new WebhookReceiver();
  private shared: Record<string, string> = {};
  private workerEnv: Record<string, string> = {};

  async startWebhookStack(workerEnv: Record<string, string> = {}): Promise<this> {
    await this.receiver.start();
    this.shared = {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${this.receiver.port}`,
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TOKEN_CACHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    this.workerEnv = {
      ...this.shared,
      WEBHOOK_RETRY_SCALE: '0.001',
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_RELAY_INTERVAL_MS: '100',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      ...workerEnv,
    };
    await this.startStack(this.workerEnv);
    return this;
  }

  /** The gateway gets the webhook settings too (URL checks, secret sealing). */
  override start(env: Record<string, string> = {}): Promise<this> {
    return super.start({ ...env, ...this.shared });
  }

  async stopWorker(): Promise<void> {
    await this.worker.close();
  }

  /** A new worker process on the same database, Redis prefix and settings (as after a restart). */
  async startWorkerAgain(): Promise<void> {
    this.worker = await startWorker(
      loadConfig(workerConfigSchema, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        WORKER_HEALTH_PORT: '0',
        DATABASE_URL: this.database.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: this.queuePrefix,
        ALTINN_BASE_URL: this.sim.baseUrl,
        MASKINPORTEN_ISSUER: this.sim.issuer,
        MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
        PROVIDER_ORG_NUMBER: PROVIDER_ORG,
        SIGNER: 'kms',
        KMS_ENDPOINT: this.sim.baseUrl,
        KMS_ACCESS_KEY_ID: 'AKIDSGWTEST',
        KMS_SECRET_ACCESS_KEY: 'not-a-secret',
        KMS_KEY_ID: 'alias/sgw-maskinporten',
        CONSENT_EARLY_REFRESH_DELAYS_MS: '200,400,800',
        CONSENT_FEED_INTERVAL_MS: '500',
        ...this.workerEnv,
      }),
    );
  }

  async deliveries(key: string, endpointId: string, query = ''): Promise<DeliveryView[]> {
    const answer = await this.request<{ data: DeliveryView[] }>(
      'GET',
      `/v1/webhook-endpoints/${endpointId}/deliveries?limit=200${query}`,
      {
        key,
      },
    );
    if (answer.status !== 200) throw new Error(`deliveries: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  }

  /** Polls the delivery log until the delivery reaches `status`. */
  async waitForDelivery(
    key: string,
    endpointId: string,
    deliveryId: string,
    status: string,
    timeoutMs = 20_000,
  ): Promise<DeliveryView> {
    const delivery = await until(
      `delivery ${deliveryId} ${status}`,
      async () => (await this.deliveries(key, endpointId)).find((item) => item.id === deliveryId),
      { done: (found) => found?.status === status, timeoutMs, intervalMs: 50 },
    );
    return delivery as DeliveryView;
  }

  override async close(): Promise<void> {
    await super.close();
    await this.receiver.close();
  }
}
