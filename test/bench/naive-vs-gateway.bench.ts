/**
 * Naive vs gateway, side by side in one run against one simulator that delays every
 * Maskinporten, Altinn and KMS call by 50 ms (`PUT /_sim/faults`, rate 1), then again at 200 ms
 * (BENCH_LATENCIES_MS=50,200):
 *
 * - naive: what a bank's own code would do per consent — build a grant (`buildGrantClaims`), sign it in KMS
 *   (`KmsJwtSigner`: one `Sign`), `POST /token`, `POST` the consent request to Altinn — 32 consents in
 *   flight, from the bench process;
 * - gateway: `POST /v1/consent-requests` (202) with 32 in flight, until every consent is `created` (its
 *   `consent.created` event); the worker creates them with its own concurrency (32 per worker process).
 *
 * N consents per side (BENCH_CONSENTS, default 500); prints throughput of each, the ratio, p50/p99 time to
 * created, upstream calls per consent, and the gateway side's cost per consent (CPU of gateway and worker,
 * Postgres, Redis, RSS). Both paths are warmed up first with another tenant, and each latency setting has
 * its own tenant, so every measured gateway run still pays its first token. Simulator, worker and gateway
 * run compiled as separate processes; the worker's status tracking is pushed past the run.
 *
 *   npm run bench -- naive-vs-gateway
 */
import { randomUUID } from 'node:crypto';
import { AltinnConsentClient } from '@gw/altinn';
import { type KmsJwtSigner } from '@gw/signing';
import { CostMeter, type CostReport, printCost } from './support/cost';
import { publish } from './support/results';
import {
  BENCH_APPS_FROM,
  closeOnSignal,
  createBody,
  createThroughGateway,
  percentile,
  pool,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  round,
  runBench,
  statsDelta,
  tenantOrgs,
  type UpstreamCalls,
  WRITE,
} from './support/stack';
import { fetchAccessToken, kmsSigner } from './support/upstream';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 500);
const WARMUP_CONSENTS = 30;
const CONCURRENCY = 32;
/** Injected per upstream call: 50 ms first, then 200 ms (each has its goal for the ratio). */
const LATENCIES_MS = (process.env.BENCH_LATENCIES_MS ?? '50,200').split(',').map(Number);

interface Side {
  side: 'naive' | 'gateway';
  consents: number;
  created: number;
  seconds: number;
  consentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  calls: UpstreamCalls;
}

/** A bank's own integration: one fresh grant, token and Altinn call per consent. */
function naiveIntegration(stack: ProcessStack, signer: KmsJwtSigner, altinn: AltinnConsentClient) {
  return async (consumerOrg: string): Promise<void> => {
    const token = await fetchAccessToken(stack, signer, consumerOrg, [WRITE]);
    const body = createBody();
    await altinn.createConsentRequest(token, {
      id: randomUUID(),
      from: body.from,
      to: `urn:altinn:organization:identifier-no:${consumerOrg}`,
      validTo: new Date(body.validTo),
      consentRights: body.consentRights.map((right) => ({
        ...right,
        resource: right.resource.map(({ value }) => ({ type: 'urn:altinn:resource' as const, value })),
      })),
      requestMessage: body.requestMessage,
      redirectUrl: body.redirectUrl,
    });
  };
}

async function runNaive(count: number, consumerOrg: string, create: (org: string) => Promise<void>) {
  const latencies: number[] = [];
  const started = Date.now();
  await pool(count, CONCURRENCY, async () => {
    const at = Date.now();
    await create(consumerOrg);
    latencies.push(Date.now() - at);
  });
  return { seconds: (Date.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const stack = new ProcessStack();
  closeOnSignal(stack);
  let naiveSigner: KmsJwtSigner | undefined;
  try {
    await stack.start({ from: BENCH_APPS_FROM, workerEnv: QUIET_TRACKING_WORKER_ENV });
    naiveSigner = kmsSigner(stack);
    const naive = naiveIntegration(
      stack,
      naiveSigner,
      new AltinnConsentClient({ baseUrl: stack.simulatorUrl }),
    );
    // One tenant per latency setting, so each gateway run pays its own first token; the last warms up.
    const orgs = tenantOrgs(LATENCIES_MS.length + 1);
    const tenants: { org: string; key: string }[] = [];
    for (const org of orgs) tenants.push({ org, key: (await stack.onboard(org)).key });
    const warmup = tenants[tenants.length - 1];

    // Warm-up (JIT, connections) without injected latency.
    await runNaive(WARMUP_CONSENTS, warmup.org, naive);
    await createThroughGateway(stack, warmup.key, WARMUP_CONSENTS, CONCURRENCY);

    const rounds: { latencyMs: number; ratio: number; sides: Side[]; gatewayCost: CostReport }[] = [];
    for (const [index, latencyMs] of LATENCIES_MS.entries()) {
      for (const upstream of ['maskinporten', 'altinn', 'kms']) {
        await stack.control('PUT', '/_sim/faults', { upstream, latencyMs, rate: 1 });
      }
      const tenant = tenants[index];
      let before = await stack.stats();
      const naiveRun = await runNaive(CONSENTS, tenant.org, naive);
      let after = await stack.stats();
      const naiveSide: Side = {
        side: 'naive',
        consents: CONSENTS,
        created: CONSENTS,
        seconds: round(naiveRun.seconds),
        consentsPerSecond: round(CONSENTS / naiveRun.seconds, 1),
        p50Ms: percentile(naiveRun.latencies, 50),
        p99Ms: percentile(naiveRun.latencies, 99),
        calls: statsDelta(before, after),
      };
      before = after;
      const meter = CostMeter.forStack(stack);
      // After the first round, the gateway and worker only idled since the last stop() (the naive run
      // touches neither them nor Postgres), so there is nothing late to wait for.
      await meter.start({ settle: index === 0 });
      const gatewayRun = await createThroughGateway(stack, tenant.key, CONSENTS, CONCURRENCY);
      after = await stack.stats();
      const gatewayCost = await meter.stop(gatewayRun.createdAt.size);
      const gatewaySide: Side = {
        side: 'gateway',
        consents: CONSENTS,
        created: gatewayRun.createdAt.size,
        seconds: round(gatewayRun.wallSeconds),
        consentsPerSecond: round(gatewayRun.createdAt.size / gatewayRun.wallSeconds, 1),
        p50Ms: percentile(gatewayRun.latencies, 50),
        p99Ms: percentile(gatewayRun.latencies, 99),
        calls: statsDelta(before, after),
      };
      rounds.push({
        latencyMs,
        ratio: round(gatewaySide.consentsPerSecond / naiveSide.consentsPerSecond, 2),
        sides: [naiveSide, gatewaySide],
        gatewayCost,
      });
    }
    await stack.control('DELETE', '/_sim/faults');

    const perConsent = (side: Side, count: number) => round(count / Math.max(1, side.created), 3);
    console.log(
      `\nNaive direct integration vs gateway: ${CONSENTS} consents per side, ${CONCURRENCY} in flight, the ` +
        'injected latency per Maskinporten, Altinn and KMS call as shown; simulator, worker and gateway as ' +
        'separate processes, the naive code in the bench process (2 shared cores: noisy)',
    );
    console.table(
      rounds.flatMap(({ latencyMs, ratio, sides }) =>
        sides.map((side) => ({
          'latency ms': latencyMs,
          side: side.side,
          'consents/s': side.consentsPerSecond,
          'gateway/naive': side.side === 'gateway' ? `${ratio}×` : '',
          's total': side.seconds,
          'p50 ms': side.p50Ms,
          'p99 ms': side.p99Ms,
          'Altinn create/consent': perConsent(side, side.calls.altinnCreate),
          '/token/consent': perConsent(side, side.calls.maskinportenToken),
          'KMS Sign/consent': perConsent(side, side.calls.kmsSign),
        })),
      ),
    );
    for (const item of rounds)
      printCost(item.gatewayCost, `Gateway side at ${item.latencyMs} ms upstream latency`);
    publish({
      bench: 'naive-vs-gateway',
      consents: CONSENTS,
      concurrency: CONCURRENCY,
      ratio: rounds[0].ratio,
      rounds: rounds.map((item) => ({
        ...item,
        sides: item.sides.map((side) => ({
          ...side,
          perConsent: {
            altinnCreate: perConsent(side, side.calls.altinnCreate),
            maskinportenToken: perConsent(side, side.calls.maskinportenToken),
            kmsSign: perConsent(side, side.calls.kmsSign),
          },
        })),
      })),
    });
  } finally {
    naiveSigner?.onModuleDestroy();
    await stack.close();
  }
}

runBench(main);
