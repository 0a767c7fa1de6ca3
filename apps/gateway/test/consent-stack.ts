import { randomBytes } from 'node:crypto';
import { until } from '@test/resources';
import { loadConfig, workerConfigSchema } from '@gw/config';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { startWorker, type RunningWorker } from '../../worker/src/worker.bootstrap';
import { PROVIDER_ORG } from '@test/seed';
import { GatewayTestKit } from './gateway-test-kit';

export {
  createBody,
  decodeJwt,
  OTHER_PERSON,
  PERSON,
  PROVIDER_ORG,
  READ,
  TENANT_A,
  TENANT_B,
  WRITE,
} from '@test/seed';

export interface SimStats {
  maskinporten: { token: number };
  altinn: { create: number; get: number; events: number };
  kms: Record<string, number | undefined>;
}

/**
 * The whole stack in one test process: simulator, worker and gateway on a fresh database and their own
 * Redis prefix, sharing the token cache secret as replicas in production do.
 */
export class ConsentStack extends GatewayTestKit {
  sim!: TestSimulator;
  worker!: RunningWorker;
  private readonly tokenCacheKey = randomBytes(32).toString('base64');

  async startStack(workerEnv: Record<string, string> = {}): Promise<this> {
    this.sim = await startTestSimulator();
    const upstream = {
      MASKINPORTEN_ISSUER: this.sim.issuer,
      MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
      PROVIDER_ORG_NUMBER: PROVIDER_ORG,
      TOKEN_CACHE_ENCRYPTION_KEY: this.tokenCacheKey,
    };
    await this.start(upstream);
    this.worker = await startWorker(
      loadConfig(workerConfigSchema, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        WORKER_HEALTH_PORT: '0',
        DATABASE_URL: this.database.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: this.queuePrefix,
        ALTINN_BASE_URL: this.sim.baseUrl,
        SIGNER: 'kms',
        KMS_ENDPOINT: this.sim.baseUrl,
        KMS_ACCESS_KEY_ID: 'AKIDSGWTEST',
        KMS_SECRET_ACCESS_KEY: 'not-a-secret',
        KMS_KEY_ID: 'alias/sgw-maskinporten',
        MASKINPORTEN_TOKEN_TIMEOUT_MS: '3000',
        ALTINN_TIMEOUT_MS: '3000',
        CONSENT_EARLY_REFRESH_DELAYS_MS: '200,400,800',
        CONSENT_FEED_INTERVAL_MS: '500',
        ...upstream,
        ...workerEnv,
      }),
    );
    return this;
  }

  stats(): Promise<SimStats> {
    return this.sim.control<SimStats>('GET', '/_sim/stats');
  }

  /** Polls the gateway until the consent reaches `status` (the worker runs in the background). */
  async waitForStatus(key: string, id: string, status: string, timeoutMs = 20_000): Promise<any> {
    const answer = await until(
      `consent ${id} ${status}`,
      () => this.request('GET', `/v1/consent-requests/${id}`, { key }),
      { done: (view) => view.body?.status === status, timeoutMs, intervalMs: 50 },
    );
    return answer.body;
  }

  override async close(): Promise<void> {
    await this.worker?.close();
    await super.close();
    await this.sim?.close();
  }
}
