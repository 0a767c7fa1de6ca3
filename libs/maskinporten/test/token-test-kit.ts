import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MaskinportenTokenService, type MaskinportenOptions } from '@gw/maskinporten';
import { KmsJwtSigner } from '@gw/signing';
import { type TestSimulator } from '@test/simulator';

export const PROVIDER_ORG = '310149942';
export const TENANT_A = '313876144';
export const TENANT_B = '974760673';
export const WRITE = 'altinn:consentrequests.write';
export const READ = 'altinn:consentrequests.read';
export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface SimStats {
  maskinporten: { token: number };
  kms: Record<string, number | undefined>;
}

export async function upstreamCalls(sim: TestSimulator): Promise<{ sign: number; token: number }> {
  const stats = await sim.control<SimStats>('GET', '/_sim/stats');
  return { sign: stats.kms.Sign ?? 0, token: stats.maskinporten.token };
}

/** One "replica": its own signer, Redis connection and service, sharing prefix and secret with the others. */
export interface Replica {
  service: MaskinportenTokenService;
  signer: KmsJwtSigner;
  redis: Redis;
  close(): Promise<void>;
}

export class TokenTestKit {
  /** A unique Redis prefix per run, so parallel runs and leftovers never meet. */
  readonly prefix = `sgw-test:${randomUUID()}:`;
  readonly secret = randomBytes(32);
  private readonly replicas: Replica[] = [];
  private readonly admin = new Redis(REDIS_URL, { lazyConnect: true });

  constructor(private readonly sim: TestSimulator) {}

  replica(options: Partial<MaskinportenOptions> = {}): Replica {
    const signer = new KmsJwtSigner({
      region: 'eu-north-1',
      endpoint: this.sim.baseUrl,
      credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
      activeKeyId: 'alias/sgw-maskinporten',
    });
    const redis = new Redis(REDIS_URL);
    const service = new MaskinportenTokenService(
      {
        issuer: this.sim.issuer,
        clientId: 'sgw-local-client',
        providerOrg: PROVIDER_ORG,
        backoff: { baseMs: 20, maxMs: 100 },
        ...options,
        cache: { keyPrefix: this.prefix, encryptionKey: this.secret, ...options.cache },
      },
      signer,
      redis,
    );
    const replica = {
      service,
      signer,
      redis,
      close: async () => {
        signer.onModuleDestroy();
        await redis.quit();
      },
    };
    this.replicas.push(replica);
    return replica;
  }

  async keys(): Promise<string[]> {
    if (this.admin.status === 'wait') await this.admin.connect();
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.admin.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  async redisValue(key: string): Promise<{ value: string | null; pttl: number }> {
    if (this.admin.status === 'wait') await this.admin.connect();
    const [value, pttl] = await Promise.all([this.admin.get(key), this.admin.pttl(key)]);
    return { value, pttl };
  }

  /** Deletes every key of this run and closes every connection. */
  async close(): Promise<void> {
    const keys = await this.keys();
    if (keys.length > 0) await this.admin.del(...keys);
    await Promise.all(this.replicas.map((replica) => replica.close()));
    await this.admin.quit();
  }
}
