/**
 * End to end: 1,000 consent requests posted to the gateway (202, no `Prefer: wait`, 50 in flight) until
 * Altinn created each of them: time from sending the POST to the `consent.created` event (p50/p99/max),
 * total wall time from the first POST to the last creation, the rate as a share of the floor's (the same
 * run through plain processes, right before the gateway's), and the cost per consent: CPU of
 * gateway and worker, Postgres commits and row writes, Redis commands, upstream calls (Altinn, Maskinporten
 * /token, KMS Sign) and RSS. Simulator, worker and gateway run compiled as separate processes on a fresh
 * database and Redis prefix; the simulator adds no latency. The worker's status tracking (early GETs,
 * event feed reads) is pushed past the run, so the counts are those of creating.
 *
 *   npm run bench -- end-to-end
 */
import { CostMeter, printCost } from './support/cost';
import { Floor } from './support/floor';
import { publish } from './support/results';
import {
  BENCH_APPS_FROM,
  closeOnSignal,
  createThroughGateway,
  percentile,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  round,
  runBench,
  TENANT_A,
} from './support/stack';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const WARMUP_CONSENTS = 100;
const CONCURRENCY = 50;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  const floorStack = new Floor(stack);
  try {
    await stack.start({ from: BENCH_APPS_FROM, workerEnv: QUIET_TRACKING_WORKER_ENV });
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super');
    // Warm-up (JIT, connections, the first token) as the floor has one.
    await createThroughGateway(stack, key, WARMUP_CONSENTS, CONCURRENCY);
    // The floor right before the gateway, so both see the same load on the machine.
    const floor = await (await floorStack.prepare()).measureEndToEnd(CONSENTS, CONCURRENCY, WARMUP_CONSENTS);

    const meter = CostMeter.forStack(stack);
    // The gateway's warm-up ended more than a settling time ago (the floor ran since).
    await meter.start({ settle: false });
    const run = await createThroughGateway(stack, key, CONSENTS, CONCURRENCY);
    const cost = await meter.stop(run.createdAt.size);

    const { createdAt, failed, latencies, wallSeconds } = run;
    const createdPerSecond = Math.round(createdAt.size / wallSeconds);
    const result = {
      bench: 'end-to-end',
      consents: CONSENTS,
      created: createdAt.size,
      failed: failed.size,
      concurrency: CONCURRENCY,
      postingSeconds: round(run.postingSeconds),
      wallSeconds: round(wallSeconds),
      createdPerSecond,
      ofFloor: round(createdPerSecond / floor.createdPerSecond, 3),
      postToCreatedP50Ms: percentile(latencies, 50),
      postToCreatedP99Ms: percentile(latencies, 99),
      postToCreatedMaxMs: latencies[latencies.length - 1],
      cost,
      floor,
    };

    console.log(
      `\nEnd to end: ${CONSENTS} consents, POST (202) → consent.created at Altinn; ${CONCURRENCY} POSTs in ` +
        `flight, 1 tenant; simulator, worker and gateway as separate processes ` +
        `(${BENCH_APPS_FROM === 'dist' ? 'compiled' : 'from source'}), no injected latency (2 shared cores: noisy)`,
    );
    console.table([
      {
        run: 'gateway',
        created: result.created,
        failed: result.failed,
        'wall s': result.wallSeconds,
        'created/s': createdPerSecond,
        'of floor': `${round(result.ofFloor * 100, 1)}%`,
        'p50 ms': result.postToCreatedP50Ms,
        'p99 ms': result.postToCreatedP99Ms,
        'max ms': result.postToCreatedMaxMs,
        'CPU ms/consent': cost.perUnit.cpuMs.total,
      },
      {
        run: 'floor (right before)',
        created: floor.created,
        failed: floor.failed,
        'wall s': floor.wallSeconds,
        'created/s': floor.createdPerSecond,
        'of floor': '100%',
        'p50 ms': floor.postToCreatedP50Ms,
        'p99 ms': floor.postToCreatedP99Ms,
        'max ms': floor.postToCreatedMaxMs,
        'CPU ms/consent': floor.cost.perUnit.cpuMs.total,
      },
    ]);
    printCost(floor.cost, 'Floor end to end');
    printCost(cost, 'End to end');
    publish(result);
  } finally {
    await floorStack.close();
    await stack.close();
  }
}

runBench(main);
