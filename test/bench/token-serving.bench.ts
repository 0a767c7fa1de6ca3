/**
 * Token serving: consent tokens per second from
 * `POST /v1/consent-requests/{id}/token` for 100 accepted consents, and what they cost upstream. 100 consents
 * are created (`Prefer: wait=30`), accepted by the person at the simulator and refreshed to `accepted`;
 * then one token per consent is fetched (cold: each is a miss, the worker signs a grant in KMS and calls
 * Maskinporten /token), then autocannon hammers the endpoint across all 100 for ~10 s (warm: the gateway
 * serves them from the shared, encrypted Redis cache). Maskinporten /token and KMS Sign calls of each phase
 * come from `/_sim/stats`; each phase's cost per token (CPU of gateway and worker, Postgres, Redis, RSS)
 * from the shared cost meter. Simulator, worker and gateway run compiled as separate processes, no injected
 * latency.
 *
 *   npm run bench -- token-serving
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { CostMeter, printCost } from './support/cost';
import { publish } from './support/results';
import {
  BENCH_APPS_FROM,
  closeOnSignal,
  createBody,
  percentile,
  pool,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  READ,
  round,
  runBench,
  statsDelta,
  TENANT_A,
} from './support/stack';

const CONSENTS = 100;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const COLD_CONCURRENCY = 20;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  try {
    await stack.start({
      from: BENCH_APPS_FROM,
      // The bench's refreshes decide when the worker sees the acceptance; no background tracking meanwhile.
      workerEnv: QUIET_TRACKING_WORKER_ENV,
    });
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super');

    const ids: string[] = [];
    await pool(CONSENTS, 20, async () => {
      const created = await stack.request<{ id: string; status: string }>('POST', '/v1/consent-requests', {
        key,
        body: createBody(),
        headers: { prefer: 'wait=30' },
      });
      if (created.status !== 201)
        throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
      ids.push(created.body.id);
    });
    await pool(ids.length, 20, async (index) => {
      const id = ids[index];
      await stack.control('POST', `/_sim/consents/${id}/accept`);
      const refreshed = await stack.request<{ status: string }>(
        'GET',
        `/v1/consent-requests/${id}?refresh=true`,
        {
          key,
        },
      );
      if (refreshed.body.status !== 'accepted') throw new Error(`refresh of ${id}: ${refreshed.body.status}`);
    });

    // Cold: the first token of each consent.
    const coldMeter = CostMeter.forStack(stack);
    await coldMeter.start();
    const beforeCold = await stack.stats();
    const coldLatencies: number[] = [];
    let started = performance.now();
    await pool(ids.length, COLD_CONCURRENCY, async (index) => {
      const at = performance.now();
      const answer = await stack.request('POST', `/v1/consent-requests/${ids[index]}/token`, {
        key,
        body: {},
      });
      if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.body)}`);
      coldLatencies.push(performance.now() - at);
    });
    const coldSeconds = (performance.now() - started) / 1000;
    const coldCost = await coldMeter.stop(ids.length, 'token');
    const cold = statsDelta(beforeCold, await stack.stats());
    coldLatencies.sort((a, b) => a - b);

    // Warm: autocannon across all 100 consents (the cold phase's stop() waited for Postgres already).
    const warmMeter = CostMeter.forStack(stack);
    await warmMeter.start({ settle: false });
    const beforeWarm = await stack.stats();
    let next = 0;
    started = performance.now();
    const warm = await autocannon({
      url: stack.gatewayUrl,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
      requests: [
        {
          method: 'POST',
          path: `/v1/consent-requests/${ids[0]}/token`,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: '{}',
          setupRequest: (request) => ({
            ...request,
            path: `/v1/consent-requests/${ids[next++ % ids.length]}/token`,
          }),
        },
      ],
    });
    const ok = warm.statusCodeStats?.['200']?.count ?? 0;
    const warmCost = await warmMeter.stop(ok, 'token');
    const warmCalls = statsDelta(beforeWarm, await stack.stats());
    const memory = stack.memory('gateway');

    const result = {
      bench: 'token-serving',
      consents: ids.length,
      scope: READ,
      cold: {
        requests: ids.length,
        concurrency: COLD_CONCURRENCY,
        tokensPerSecond: Math.round(ids.length / coldSeconds),
        p50Ms: round(percentile(coldLatencies, 50), 1),
        p99Ms: round(percentile(coldLatencies, 99), 1),
        maskinportenToken: cold.maskinportenToken,
        kmsSign: cold.kmsSign,
        cost: coldCost,
      },
      warm: {
        connections: CONNECTIONS,
        durationSeconds: round(warm.duration, 1),
        requests: warm.requests.total,
        ok,
        non2xx: warm.non2xx,
        errors: warm.errors + warm.timeouts,
        tokensPerSecond: Math.round(ok / warm.duration),
        p50Ms: warm.latency.p50,
        p99Ms: warm.latency.p99,
        maskinportenToken: warmCalls.maskinportenToken,
        kmsSign: warmCalls.kmsSign,
        cost: warmCost,
      },
      gatewayRssMiB: memory.rssMiB,
    };

    console.log(
      `\nToken serving: POST /v1/consent-requests/{id}/token over ${ids.length} accepted consents (scope ${READ}); ` +
        'simulator, worker and gateway as separate processes, no injected latency (2 shared cores: noisy)',
    );
    console.table([
      {
        phase: `cold: first token of each (${COLD_CONCURRENCY} in flight)`,
        tokens: ids.length,
        'tokens/s': result.cold.tokensPerSecond,
        'p50 ms': result.cold.p50Ms,
        'p99 ms': result.cold.p99Ms,
        '/token': cold.maskinportenToken,
        'KMS Sign': cold.kmsSign,
        failed: 0,
      },
      {
        phase: `warm: autocannon ${DURATION_SECONDS} s, ${CONNECTIONS} connections`,
        tokens: ok,
        'tokens/s': result.warm.tokensPerSecond,
        'p50 ms': result.warm.p50Ms,
        'p99 ms': result.warm.p99Ms,
        '/token': warmCalls.maskinportenToken,
        'KMS Sign': warmCalls.kmsSign,
        failed: result.warm.non2xx + result.warm.errors,
      },
    ]);
    printCost(coldCost, 'Token serving, cold');
    printCost(warmCost, 'Token serving, warm');
    publish(result);
  } finally {
    await stack.close();
  }
}

runBench(main);
