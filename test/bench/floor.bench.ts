/**
 * The floor: the least work the job needs on this box, with no framework (support/floor-server.ts and
 * support/floor-worker.ts, each a process of its own beside the compiled simulator, on migrated tables).
 *
 * - intake: `POST /v1/consent-requests` → 202 with the same load as the intake bench (autocannon, 50
 *   connections, same duration, after the same warm-up); no worker, jobs queue up;
 * - end to end: 1,000 consents POSTed (50 in flight) until each is created at the simulated Altinn, as the
 *   end-to-end bench does, with the floor worker holding one access token fetched before the run.
 *
 * Each with its cost per consent. `npm run bench` runs it first and hands its figures to the intake and
 * end-to-end benches, which print the gateway's rate as a share of the floor's.
 *
 *   npm run bench -- floor
 */
import { type KmsJwtSigner } from '@gw/signing';
import { CostMeter, printCost } from './support/cost';
import { Floor, FLOOR_SERVER, FLOOR_WORKER, type FloorResult } from './support/floor';
import {
  INTAKE_CONNECTIONS,
  INTAKE_DURATION_SECONDS,
  INTAKE_WARMUP_SECONDS,
  intakeFigures,
  postConsents,
} from './support/load';
import { publish } from './support/results';
import {
  BENCH_APPS_FROM,
  closeOnSignal,
  createAndWatch,
  percentile,
  ProcessStack,
  PROVIDER_ORG,
  READ,
  round,
  runBench,
  TENANT_A,
  WRITE,
} from './support/stack';
import { fetchAccessToken, kmsSigner } from './support/upstream';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const WARMUP_CONSENTS = 100;
const CONCURRENCY = 50;

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  let signer: KmsJwtSigner | undefined;
  try {
    await stack.start({ apps: ['simulator'], from: BENCH_APPS_FROM });
    signer = kmsSigner(stack);
    await stack.control('POST', '/_sim/delegations', {
      consumerOrg: TENANT_A,
      supplierOrg: PROVIDER_ORG,
      scopes: [WRITE, READ],
    });
    const floor = new Floor(stack);
    await floor.prepare();

    // Intake alone: the server, no worker.
    await floor.startServer('intake');
    await postConsents(floor.serverUrl, INTAKE_WARMUP_SECONDS);
    let meter = CostMeter.forStack(stack, [FLOOR_SERVER]);
    await meter.start();
    const intakeRun = await postConsents(floor.serverUrl, INTAKE_DURATION_SECONDS);
    const intake = intakeFigures(intakeRun);
    const intakeCost = await meter.stop(intake.accepted);
    await stack.stopProcess(FLOOR_SERVER);
    await stack.db.query('TRUNCATE consent_requests, events CASCADE');

    // End to end: a fresh server and the worker on another queue, so the intake's backlog stays behind.
    const token = await fetchAccessToken(stack, signer, TENANT_A, [WRITE]);
    await floor.startServer('e2e');
    await floor.startWorker('e2e', token);
    await createAndWatch(stack, () => floor.post(), WARMUP_CONSENTS, CONCURRENCY, {
      workerName: FLOOR_WORKER,
    });
    meter = CostMeter.forStack(stack, [FLOOR_SERVER, FLOOR_WORKER]);
    await meter.start();
    const run = await createAndWatch(stack, () => floor.post(), CONSENTS, CONCURRENCY, {
      workerName: FLOOR_WORKER,
    });
    const endToEndCost = await meter.stop(run.createdAt.size);

    const result: FloorResult = {
      bench: 'floor',
      intake: { ...intake, cost: intakeCost },
      endToEnd: {
        consents: CONSENTS,
        created: run.createdAt.size,
        failed: run.failed.size,
        concurrency: CONCURRENCY,
        wallSeconds: round(run.wallSeconds),
        createdPerSecond: Math.round(run.createdAt.size / run.wallSeconds),
        postToCreatedP50Ms: percentile(run.latencies, 50),
        postToCreatedP99Ms: percentile(run.latencies, 99),
        postToCreatedMaxMs: run.latencies[run.latencies.length - 1],
        cost: endToEndCost,
      },
    };

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
        'per s': result.endToEnd.createdPerSecond,
        count: run.createdAt.size,
        'p50 ms': result.endToEnd.postToCreatedP50Ms,
        'p99 ms': result.endToEnd.postToCreatedP99Ms,
        'max ms': result.endToEnd.postToCreatedMaxMs,
        errors: run.failed.size,
      },
    ]);
    printCost(intakeCost, 'Floor intake');
    printCost(endToEndCost, 'Floor end to end');
    publish(result);
  } finally {
    signer?.onModuleDestroy();
    await stack.close();
  }
}

runBench(main);
