/**
 * Maskinporten tokens: how many the service hands out per second from the Redis cache and when each is
 * fetched fresh (grant signed in the simulated KMS, POST /token), and how many KMS `Sign` and `/token`
 * calls 1,000 concurrent token requests cost for 1, 10 and 100 tenants (sign per token, not per call).
 * A library bench: the token service in the bench process against an in-process simulator and the local
 * Redis (no consents, no gateway or worker to meter); stops by itself and deletes its Redis keys.
 *
 *   npm run bench -- maskinporten-tokens
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { isValidOrgNumber } from '@gw/identifiers';
import { MaskinportenTokenService, type TokenRequest } from '@gw/maskinporten';
import { KmsJwtSigner } from '@gw/signing';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { publish } from './support/results';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROVIDER_ORG = '310149942';
const SCOPE = 'altinn:consentrequests.write';
const TENANT_COUNTS = [1, 10, 100] as const;
const REQUESTS_PER_SCENARIO = 1000;
const CACHED_REQUESTS = 20_000;
const FRESH_REQUESTS = 300;
const CONCURRENCY = 50;
const FRESH_CONCURRENCY = 10;

interface SimStats {
  maskinporten: { token: number };
  kms: Record<string, number | undefined>;
}

/** The first `count` valid org numbers from 810000000 up, skipping the provider's. */
function tenantOrgs(count: number): string[] {
  const orgs: string[] = [];
  for (let candidate = 810_000_000; orgs.length < count; candidate += 1) {
    const org = String(candidate);
    if (org !== PROVIDER_ORG && isValidOrgNumber(org)) orgs.push(org);
  }
  return orgs;
}

/** Runs `total` tasks with at most `concurrency` in flight; task i gets index i. */
async function pool(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

async function upstreamCalls(sim: TestSimulator): Promise<{ sign: number; token: number }> {
  const stats = await sim.control<SimStats>('GET', '/_sim/stats');
  return { sign: stats.kms.Sign ?? 0, token: stats.maskinporten.token };
}

async function main(): Promise<void> {
  const sim = await startTestSimulator();
  const redis = new Redis(REDIS_URL);
  const prefix = `sgw-bench:${randomUUID()}:`;
  const signer = new KmsJwtSigner({
    region: 'eu-north-1',
    endpoint: sim.baseUrl,
    credentials: { accessKeyId: 'AKIDSGWBENCH', secretAccessKey: 'not-a-secret' },
    activeKeyId: 'alias/sgw-maskinporten',
  });
  const secret = randomBytes(32);
  const service = (scenario: string) =>
    new MaskinportenTokenService(
      {
        issuer: sim.issuer,
        clientId: 'sgw-local-client',
        providerOrg: PROVIDER_ORG,
        cache: { keyPrefix: `${prefix}${scenario}:`, encryptionKey: secret },
      },
      signer,
      redis,
    );

  try {
    const orgs = tenantOrgs(Math.max(...TENANT_COUNTS));
    for (const consumerOrg of orgs) {
      await sim.control('POST', '/_sim/delegations', {
        consumerOrg,
        supplierOrg: PROVIDER_ORG,
        scopes: [SCOPE],
      });
    }
    await signer.activeKid(); // GetPublicKey once, outside every measurement
    const request = (index: number, tenants: number): TokenRequest => ({
      scopes: [SCOPE],
      consumerOrg: orgs[index % tenants],
    });

    // Fresh: every request misses (invalidated first), so each costs one Sign and one /token.
    const fresh = service('fresh');
    const freshBefore = await upstreamCalls(sim);
    let started = performance.now();
    await pool(FRESH_REQUESTS, FRESH_CONCURRENCY, async (index) => {
      // In-flight requests are at most 10 consecutive indices, so never two for one tenant (cache key).
      await fresh.invalidate(request(index, orgs.length));
      await fresh.accessToken(request(index, orgs.length));
    });
    const freshSeconds = (performance.now() - started) / 1000;
    const freshAfter = await upstreamCalls(sim);

    // Cached: 100 warm keys, then many requests over them.
    const cached = service('cached');
    await pool(orgs.length, CONCURRENCY, (index) => cached.accessToken(request(index, orgs.length)));
    const cachedBefore = await upstreamCalls(sim);
    started = performance.now();
    await pool(CACHED_REQUESTS, CONCURRENCY, (index) => cached.accessToken(request(index, orgs.length)));
    const cachedSeconds = (performance.now() - started) / 1000;
    const cachedAfter = await upstreamCalls(sim);

    // Upstream cost of 1,000 concurrent requests from a cold cache, per tenant count.
    const scenarios: { tenants: number; requests: number; sign: number; token: number; seconds: number }[] =
      [];
    for (const tenants of TENANT_COUNTS) {
      const subject = service(`tenants-${tenants}`);
      const before = await upstreamCalls(sim);
      started = performance.now();
      await pool(REQUESTS_PER_SCENARIO, 100, (index) => subject.accessToken(request(index, tenants)));
      const seconds = (performance.now() - started) / 1000;
      const after = await upstreamCalls(sim);
      scenarios.push({
        tenants,
        requests: REQUESTS_PER_SCENARIO,
        sign: after.sign - before.sign,
        token: after.token - before.token,
        seconds,
      });
    }

    const result = {
      bench: 'maskinporten-tokens',
      freshTokensPerSecond: Math.round(FRESH_REQUESTS / freshSeconds),
      freshRequests: FRESH_REQUESTS,
      freshSignCalls: freshAfter.sign - freshBefore.sign,
      freshTokenCalls: freshAfter.token - freshBefore.token,
      cachedTokensPerSecond: Math.round(CACHED_REQUESTS / cachedSeconds),
      cachedRequests: CACHED_REQUESTS,
      cachedUpstreamCalls: cachedAfter.sign - cachedBefore.sign + (cachedAfter.token - cachedBefore.token),
      perThousandRequests: scenarios.map(({ tenants, sign, token, seconds }) => ({
        tenants,
        sign,
        token,
        tokensPerSecond: Math.round(REQUESTS_PER_SCENARIO / seconds),
      })),
    };

    console.log('\nMaskinporten tokens (simulator on loopback, local Redis)');
    console.table([
      {
        case: `fresh (concurrency ${FRESH_CONCURRENCY})`,
        'tokens/s': result.freshTokensPerSecond,
        requests: FRESH_REQUESTS,
        'KMS Sign': result.freshSignCalls,
        '/token': result.freshTokenCalls,
      },
      {
        case: `cached (concurrency ${CONCURRENCY})`,
        'tokens/s': result.cachedTokensPerSecond,
        requests: CACHED_REQUESTS,
        'KMS Sign': cachedAfter.sign - cachedBefore.sign,
        '/token': cachedAfter.token - cachedBefore.token,
      },
      ...scenarios.map(({ tenants, requests, sign, token, seconds }) => ({
        case: `cold, ${tenants} tenant${tenants === 1 ? '' : 's'} (concurrency 100)`,
        'tokens/s': Math.round(requests / seconds),
        requests,
        'KMS Sign': sign,
        '/token': token,
      })),
    ]);
    publish(result);
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    signer.onModuleDestroy();
    await redis.quit();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
