/**
 * The floor on its own: the least work the job needs on this box, with no framework (support/floor.ts:
 * plain Fastify + pg + BullMQ processes beside the compiled simulator, on migrated tables).
 *
 * - intake: `POST /v1/consent-requests` → 202 with the intake bench's load (autocannon, 50 connections,
 *   same warm-up and duration); no worker, jobs queue up;
 * - end to end: 1,000 consents POSTed (50 in flight) until each is created at the simulated Altinn, as the
 *   end-to-end bench does.
 *
 * Each with its cost per consent. The intake and end-to-end benches measure the same floor again right
 * before the gateway, for their ratios.
 *
 *   npm run bench -- floor
 */
import { printCost } from './support/cost';
import { Floor } from './support/floor';
import { INTAKE_CONNECTIONS, INTAKE_DURATION_SECONDS } from './support/load';
import { publish } from './support/results';
import { BENCH_APPS_FROM, closeOnSignal, ProcessStack, runBench } from './support/stack';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const CONCURRENCY = 50;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  const floor = new Floor(stack);
  try {
    await stack.start({ apps: ['simulator'], from: BENCH_APPS_FROM });
    await floor.prepare();
    const intake = await floor.measureIntake();
    const endToEnd = await floor.measureEndToEnd(CONSENTS, CONCURRENCY);

    console.log(
      `\nFloor: plain Fastify + pg + BullMQ processes (no framework), the compiled simulator; intake with ` +
        `autocannon ${INTAKE_CONNECTIONS} connections ${INTAKE_DURATION_SECONDS} s, end to end ${CONSENTS} ` +
        `consents ${CONCURRENCY} in flight (2 shared cores: noisy)`,
    );
    console.table([
      {
        case: 'intake: POST → 202',
        'per s': intake.acceptedPerSecond,
        count: intake.accepted,
        'p50 ms': intake.latencyP50Ms,
        'p99 ms': intake.latencyP99Ms,
        'max ms': intake.latencyMaxMs,
        errors:
          intake.errors + intake.timeouts + Object.values(intake.otherStatuses).reduce((a, b) => a + b, 0),
      },
      {
        case: 'end to end: POST → created',
        'per s': endToEnd.createdPerSecond,
        count: endToEnd.created,
        'p50 ms': endToEnd.postToCreatedP50Ms,
        'p99 ms': endToEnd.postToCreatedP99Ms,
        'max ms': endToEnd.postToCreatedMaxMs,
        errors: endToEnd.failed,
      },
    ]);
    printCost(intake.cost, 'Floor intake');
    printCost(endToEnd.cost, 'Floor end to end');
    publish({ bench: 'floor', intake, endToEnd });
  } finally {
    await floor.close();
    await stack.close();
  }
}

runBench(main);
