/**
 * Intake: how many `POST /v1/consent-requests` the gateway accepts (202) per second, with p50/p99 latency,
 * measured with autocannon for 1 tenant and for 50 tenants (each with its own API key, spread round-robin
 * over the requests), ~10 s each after a short warm-up; the cost per accepted consent of each case, and
 * the rate as a share of the floor's (a plain Fastify route doing the same INSERT and queue add, measured
 * with the same load right before the gateway). The gateway runs compiled as its own process on
 * a fresh database and Redis prefix; by default without the worker (jobs queue up in Redis), so the figure
 * is the gateway's intake alone and the worker does not compete for the same cores.
 * BENCH_INTAKE_WITH_WORKER=1 runs the simulator and worker beside it.
 *
 *   npm run bench -- intake
 */
import { CostMeter, type CostReport, printCost } from './support/cost';
import { Floor } from './support/floor';
import {
  INTAKE_CONNECTIONS,
  INTAKE_DURATION_SECONDS,
  INTAKE_WARMUP_SECONDS,
  type IntakeFigures,
  intakeFigures,
  postConsents,
} from './support/load';
import { publish } from './support/results';
import { BENCH_APPS_FROM, closeOnSignal, ProcessStack, round, runBench, tenantOrgs } from './support/stack';

const TENANTS = [1, 50] as const;
const WITH_WORKER = process.env.BENCH_INTAKE_WITH_WORKER === '1';

interface Scenario extends IntakeFigures {
  tenants: number;
  /** Accepted per second as a share of the floor's. */
  ofFloor: number;
  cost: CostReport;
}

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  const floorStack = new Floor(stack);
  try {
    await stack.start({
      apps: WITH_WORKER ? ['simulator', 'worker', 'gateway'] : ['gateway'],
      from: BENCH_APPS_FROM,
    });
    const orgs = tenantOrgs(Math.max(...TENANTS));
    const keys: string[] = [];
    for (const org of orgs) keys.push((await stack.onboard(org)).key);

    await postConsents(stack.gatewayUrl, INTAKE_WARMUP_SECONDS, keys);
    // The floor right before the gateway, so both see the same load on the machine.
    const floor = await (await floorStack.prepare()).measureIntake();
    const scenarios: Scenario[] = [];
    for (const tenants of TENANTS) {
      const meter = CostMeter.forStack(stack);
      // The gateway's warm-up ended more than a settling time ago (the floor ran since), and each case's
      // stop() waits for Postgres: nothing of the gateway's is still unpublished.
      await meter.start({ settle: false });
      const figures = intakeFigures(
        await postConsents(stack.gatewayUrl, INTAKE_DURATION_SECONDS, keys.slice(0, tenants)),
      );
      const cost = await meter.stop(figures.accepted);
      scenarios.push({
        tenants,
        ...figures,
        ofFloor: round(figures.acceptedPerSecond / floor.acceptedPerSecond, 3),
        cost,
      });
    }
    const memory = stack.memory('gateway');

    const mode = WITH_WORKER
      ? 'gateway, worker and simulator as separate processes'
      : 'gateway process alone (worker stopped: jobs queue up in Redis)';
    console.log(
      `\nIntake: POST /v1/consent-requests → 202 (${mode}, ${BENCH_APPS_FROM === 'dist' ? 'compiled' : 'from source'}; ` +
        `autocannon in the bench process, ${INTAKE_CONNECTIONS} connections, ${INTAKE_DURATION_SECONDS} s per case, ` +
        `NODE_ENV=${stack.nodeEnv}, LOG_LEVEL=${stack.logLevel}; 2 shared cores: noisy)`,
    );
    console.table(
      scenarios.map((scenario) => ({
        tenants: scenario.tenants,
        'accepted/s': scenario.acceptedPerSecond,
        'of floor': `${round(scenario.ofFloor * 100, 1)}%`,
        accepted: scenario.accepted,
        'p50 ms': scenario.latencyP50Ms,
        'p99 ms': scenario.latencyP99Ms,
        'max ms': scenario.latencyMaxMs,
        'non-202': Object.values(scenario.otherStatuses).reduce((sum, count) => sum + count, 0),
        errors: scenario.errors + scenario.timeouts,
        'CPU ms/consent': scenario.cost.perUnit.cpuMs.total,
        'PG commits/consent': scenario.cost.perUnit.pgCommits,
      })),
    );
    console.log(
      `floor (same load, right before): ${floor.acceptedPerSecond} accepted/s, p50 ${floor.latencyP50Ms} ms, ` +
        `p99 ${floor.latencyP99Ms} ms, ${floor.cost.perUnit.cpuMs.total} CPU ms and ${floor.cost.perUnit.pgCommits} ` +
        'commits per consent',
    );
    printCost(floor.cost, 'Floor intake');
    for (const scenario of scenarios) {
      printCost(scenario.cost, `Intake, ${scenario.tenants} tenant${scenario.tenants === 1 ? '' : 's'}`);
    }
    console.log(`gateway RSS at the end: ${memory.rssMiB} MiB (peak ${memory.peakRssMiB} MiB)`);
    publish({
      bench: 'intake',
      mode: WITH_WORKER ? 'with-worker' : 'gateway-only',
      nodeEnv: stack.nodeEnv,
      logLevel: stack.logLevel,
      floor,
      scenarios,
      gatewayRssMiB: memory.rssMiB,
      gatewayPeakRssMiB: memory.peakRssMiB,
    });
  } finally {
    await floorStack.close();
    await stack.close();
  }
}

runBench(main);
