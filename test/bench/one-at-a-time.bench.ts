/**
 * One at a time: a single client sending `POST /v1/consent-requests` with `Prefer: wait=10`, the next only
 * after the previous answered, 300 times after a warm-up: the latency of POST → 201 (created at Altinn)
 * with nothing else going on, p50/p99/max, and the cost per consent. No injected upstream latency.
 * Simulator, worker and gateway run compiled as separate processes; the worker's status tracking is
 * pushed past the run. The floor (a plain route and worker doing the same wait: insert, add, read, Altinn
 * POST, update, announcement, read) is measured right before, on the same machine load.
 *
 *   npm run bench -- one-at-a-time
 */
import { performance } from 'node:perf_hooks';
import { CostMeter, printCost } from './support/cost';
import { Floor } from './support/floor';
import { publish } from './support/results';
import {
  BENCH_APPS_FROM,
  closeOnSignal,
  createBody,
  percentile,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  round,
  runBench,
  TENANT_A,
} from './support/stack';

const CONSENTS = Number(process.env.BENCH_ONE_AT_A_TIME_CONSENTS ?? 300);
const WARMUP_CONSENTS = 50;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  try {
    await stack.start({ from: BENCH_APPS_FROM, workerEnv: QUIET_TRACKING_WORKER_ENV });
    const floorStack = new Floor(stack);
    const floor = await (
      await floorStack.prepare()
    )
      .measureOneAtATime(CONSENTS, WARMUP_CONSENTS)
      .finally(() => floorStack.close());
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super');
    const body = createBody();
    const createOne = async (): Promise<number> => {
      const sentAt = performance.now();
      const answer = await stack.request<{ status: string }>('POST', '/v1/consent-requests', {
        key,
        body,
        headers: { prefer: 'wait=10' },
      });
      const ms = performance.now() - sentAt;
      if (answer.status !== 201) throw new Error(`POST: ${answer.status} ${JSON.stringify(answer.body)}`);
      return ms;
    };

    for (let i = 0; i < WARMUP_CONSENTS; i += 1) await createOne();
    const meter = CostMeter.forStack(stack);
    await meter.start();
    const latencies: number[] = [];
    const started = performance.now();
    for (let i = 0; i < CONSENTS; i += 1) latencies.push(await createOne());
    const seconds = (performance.now() - started) / 1000;
    const cost = await meter.stop(CONSENTS);
    latencies.sort((a, b) => a - b);

    const result = {
      bench: 'one-at-a-time',
      consents: CONSENTS,
      warmup: WARMUP_CONSENTS,
      seconds: round(seconds),
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(latencies[latencies.length - 1], 1),
      minMs: round(latencies[0], 1),
      cost,
      floor,
    };
    console.log(
      `\nOne at a time: ${CONSENTS} × POST /v1/consent-requests with Prefer: wait=10 → 201, one client, ` +
        `sequential, after ${WARMUP_CONSENTS} warm-up; ${BENCH_APPS_FROM === 'dist' ? 'compiled' : 'from source'} ` +
        'processes, no injected latency (2 shared cores: noisy)',
    );
    console.table([
      {
        consents: CONSENTS,
        'per s': round(CONSENTS / seconds, 1),
        'min ms': result.minMs,
        'p50 ms': result.p50Ms,
        'p99 ms': result.p99Ms,
        'max ms': result.maxMs,
      },
    ]);
    console.log(
      `floor (same load, right before): p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms, max ${floor.maxMs} ms, ` +
        `${floor.cost.perUnit.cpuMs.total} CPU ms per consent; gateway p50 ${round(result.p50Ms / floor.p50Ms, 2)}× ` +
        `and p99 ${round(result.p99Ms / floor.p99Ms, 2)}× the floor's`,
    );
    printCost(cost, 'One at a time');
    printCost(floor.cost, 'Floor one at a time');
    publish(result);
  } finally {
    await stack.close();
  }
}

runBench(main);
