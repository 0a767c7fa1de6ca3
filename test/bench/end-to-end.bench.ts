/**
 * End to end (issue 8, benchmark 2): 1,000 consent requests posted to the gateway (202, no `Prefer: wait`,
 * 50 in flight) until Altinn created each of them: time from sending the POST to the `consent.created`
 * event (p50/p99/max), total wall time from the first POST to the last creation, and the upstream calls
 * per consent (Altinn, Maskinporten /token, KMS Sign) from the simulator's `/_sim/stats`. Simulator, worker
 * and gateway are separate processes on a fresh database and Redis prefix; the simulator adds no latency.
 * The worker's status tracking (early GETs, event feed reads) is pushed past the run, so the counts are
 * those of creating.
 *
 *   npm run bench -- end-to-end
 */
import {
  closeOnSignal,
  createThroughGateway,
  percentile,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  round,
  runBench,
  statsDelta,
  TENANT_A,
} from './support/stack';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const CONCURRENCY = 50;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  try {
    await stack.start({
      workerEnv: QUIET_TRACKING_WORKER_ENV,
    });
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super');
    const before = await stack.stats();

    const run = await createThroughGateway(stack, key, CONSENTS, CONCURRENCY);
    const after = await stack.stats();

    const { createdAt, failed, latencies, wallSeconds } = run;
    const calls = statsDelta(before, after);
    const perConsent = (count: number) => round(count / Math.max(1, createdAt.size), 3);
    const result = {
      bench: 'end-to-end',
      consents: CONSENTS,
      created: createdAt.size,
      failed: failed.size,
      concurrency: CONCURRENCY,
      postingSeconds: round(run.postingSeconds),
      wallSeconds: round(wallSeconds),
      createdPerSecond: Math.round(createdAt.size / wallSeconds),
      postToCreatedP50Ms: percentile(latencies, 50),
      postToCreatedP99Ms: percentile(latencies, 99),
      postToCreatedMaxMs: latencies[latencies.length - 1],
      upstreamCalls: calls,
      perConsent: {
        altinnCreate: perConsent(calls.altinnCreate),
        altinnGet: perConsent(calls.altinnGet),
        maskinportenToken: perConsent(calls.maskinportenToken),
        kmsSign: perConsent(calls.kmsSign),
      },
    };

    console.log(
      `\nEnd to end: ${CONSENTS} consents, POST (202) → consent.created at Altinn; ${CONCURRENCY} POSTs in ` +
        'flight, 1 tenant; simulator, worker and gateway as separate processes, no injected latency ' +
        '(2 shared cores: noisy)',
    );
    console.table([
      {
        created: result.created,
        failed: result.failed,
        'wall s': result.wallSeconds,
        'created/s': result.createdPerSecond,
        'p50 ms': result.postToCreatedP50Ms,
        'p99 ms': result.postToCreatedP99Ms,
        'max ms': result.postToCreatedMaxMs,
      },
    ]);
    console.table([
      {
        upstream: 'Altinn POST consentrequests',
        calls: calls.altinnCreate,
        'per consent': result.perConsent.altinnCreate,
      },
      {
        upstream: 'Altinn GET consentrequests/{id}',
        calls: calls.altinnGet,
        'per consent': result.perConsent.altinnGet,
      },
      {
        upstream: 'Maskinporten /token',
        calls: calls.maskinportenToken,
        'per consent': result.perConsent.maskinportenToken,
      },
      { upstream: 'KMS Sign', calls: calls.kmsSign, 'per consent': result.perConsent.kmsSign },
    ]);
    console.log(JSON.stringify(result));
  } finally {
    await stack.close();
  }
}

runBench(main);
