/**
 * Intake (issue 8, benchmark 1): how many `POST /v1/consent-requests` the gateway accepts (202) per second,
 * with p50/p99 latency, measured with autocannon for 1 tenant and for 50 tenants (each with its own API
 * key, spread round-robin over the requests), ~10 s each after a short warm-up; the gateway's RSS at the
 * end. The gateway runs as its own process on a fresh database and Redis prefix; by default without the
 * worker (jobs queue up in Redis), so the figure is the gateway's intake alone and the worker does not
 * compete for the same cores. BENCH_INTAKE_WITH_WORKER=1 runs the simulator and worker beside it.
 *
 *   npm run bench -- intake
 */
import autocannon from 'autocannon';
import { closeOnSignal, createBody, ProcessStack, round, runBench, tenantOrgs } from './support/stack';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TENANTS = [1, 50] as const;
const WITH_WORKER = process.env.BENCH_INTAKE_WITH_WORKER === '1';

interface Scenario {
  tenants: number;
  connections: number;
  durationSeconds: number;
  requests: number;
  accepted: number;
  acceptedPerSecond: number;
  otherStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

function run(url: string, keys: string[], seconds: number): Promise<autocannon.Result> {
  const body = JSON.stringify(createBody());
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/consent-requests',
        headers: { 'content-type': 'application/json' },
        body,
        // Each request takes the next tenant's key, so every tenant is in flight at once.
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${keys[next++ % keys.length]}` },
        }),
      },
    ],
  });
}

function scenarioOf(tenants: number, result: autocannon.Result): Scenario {
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]),
  );
  const accepted = statuses['202'] ?? 0;
  delete statuses['202'];
  return {
    tenants,
    connections: CONNECTIONS,
    durationSeconds: round(result.duration, 1),
    requests: result.requests.total,
    accepted,
    acceptedPerSecond: Math.round(accepted / result.duration),
    otherStatuses: statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  try {
    await stack.start({ apps: WITH_WORKER ? ['simulator', 'worker', 'gateway'] : ['gateway'] });
    const orgs = tenantOrgs(Math.max(...TENANTS));
    const keys: string[] = [];
    for (const org of orgs) keys.push((await stack.onboard(org)).key);

    await run(stack.gatewayUrl, keys, WARMUP_SECONDS);
    const scenarios: Scenario[] = [];
    for (const tenants of TENANTS) {
      scenarios.push(
        scenarioOf(tenants, await run(stack.gatewayUrl, keys.slice(0, tenants), DURATION_SECONDS)),
      );
    }
    const memory = stack.memory('gateway');

    const mode = WITH_WORKER
      ? 'gateway, worker and simulator as separate processes'
      : 'gateway process alone (worker stopped: jobs queue up in Redis)';
    console.log(
      `\nIntake: POST /v1/consent-requests → 202 (${mode}; autocannon in the bench process, ` +
        `${CONNECTIONS} connections, ${DURATION_SECONDS} s per case, NODE_ENV=${stack.nodeEnv}, ` +
        `LOG_LEVEL=${stack.logLevel}; 2 shared cores: noisy)`,
    );
    console.table(
      scenarios.map((scenario) => ({
        tenants: scenario.tenants,
        'accepted/s': scenario.acceptedPerSecond,
        accepted: scenario.accepted,
        'p50 ms': scenario.latencyP50Ms,
        'p99 ms': scenario.latencyP99Ms,
        'max ms': scenario.latencyMaxMs,
        'non-202': Object.values(scenario.otherStatuses).reduce((sum, count) => sum + count, 0),
        errors: scenario.errors + scenario.timeouts,
      })),
    );
    console.log(`gateway RSS at the end: ${memory.rssMiB} MiB (peak ${memory.peakRssMiB} MiB)`);
    console.log(
      JSON.stringify({
        bench: 'intake',
        mode: WITH_WORKER ? 'with-worker' : 'gateway-only',
        nodeEnv: stack.nodeEnv,
        logLevel: stack.logLevel,
        scenarios,
        gatewayRssMiB: memory.rssMiB,
        gatewayPeakRssMiB: memory.peakRssMiB,
      }),
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
