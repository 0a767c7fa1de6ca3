/**
 * Webhooks: how long from a consent's status change to its webhook arriving, for 1,000 consents. Each
 * consent is created at the simulated Altinn (`Prefer: wait`), then accepted there (the person's decision)
 * and refreshed through the gateway (the bank's return from `redirectUrl`); the worker records
 * `consent.accepted`, the outbox relay fans it out, and a receiver in the bench process verifies and
 * timestamps the webhook. Three clocks for each webhook's arrival:
 *
 * - from the person's acceptance at the simulator (before the refresh was asked for);
 * - from the gateway's answer to the refresh (the bank saw `accepted`);
 * - from the event's commit: the payload's `occurredAt`, which is the event row's `occurred_at` (`now()` of
 *   the transaction that wrote it, so its start: a hair before its commit).
 *
 * Plus the cost per consent of the accept → webhook phase. Simulator, worker and gateway run compiled as
 * separate processes with the production relay interval and retry schedule; NODE_ENV=test, since
 * production refuses the receiver's plain-http loopback URL.
 *
 *   npm run bench -- webhook-latency
 */
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../../apps/gateway/test/webhook-receiver';
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
  runBench,
  TENANT_A,
} from './support/stack';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const CONCURRENCY = 20;
const RELAY_INTERVAL_MS = process.env.BENCH_RELAY_INTERVAL_MS ?? '1000';

function spread(sorted: number[]) {
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

async function main(): Promise<void> {
  const receiver = await new WebhookReceiver().start();
  const stack = new ProcessStack();
  closeOnSignal(stack);
  try {
    const webhooks = {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}`,
    };
    await stack.start({
      from: BENCH_APPS_FROM,
      nodeEnv: 'test',
      gatewayEnv: webhooks,
      workerEnv: {
        ...webhooks,
        // The person decides after the early GETs: the bank's refresh is what notices the change.
        ...QUIET_TRACKING_WORKER_ENV,
        WEBHOOK_RETRY_SCALE: '1',
        WEBHOOK_TIMEOUT_MS: '15000',
        WEBHOOK_ENDPOINT_CONCURRENCY: '8',
        WEBHOOK_RELAY_INTERVAL_MS: RELAY_INTERVAL_MS,
      },
    });
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super');
    const endpoint = await stack.request<{ id: string; secret: string }>('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: receiver.url('/bench'), eventTypes: ['consent.accepted'] },
    });
    if (endpoint.status !== 201)
      throw new Error(`endpoint: ${endpoint.status} ${JSON.stringify(endpoint.body)}`);
    const verifier = new Webhook(endpoint.body.secret);

    const ids: string[] = [];
    await pool(CONSENTS, CONCURRENCY, async () => {
      const created = await stack.request<{ id: string; status: string }>('POST', '/v1/consent-requests', {
        key,
        body: createBody(),
        headers: { prefer: 'wait=30' },
      });
      if (created.status !== 201)
        throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
      ids.push(created.body.id);
    });

    const meter = CostMeter.forStack(stack);
    await meter.start();
    const changedAt = new Map<string, number>();
    const observedAt = new Map<string, number>();
    const started = performance.now();
    await pool(ids.length, CONCURRENCY, async (index) => {
      const id = ids[index];
      changedAt.set(id, Date.now());
      await stack.control('POST', `/_sim/consents/${id}/accept`);
      const refreshed = await stack.request<{ status: string }>(
        'GET',
        `/v1/consent-requests/${id}?refresh=true`,
        { key },
      );
      if (refreshed.body.status !== 'accepted') throw new Error(`refresh of ${id}: ${refreshed.body.status}`);
      observedAt.set(id, Date.now());
    });
    await receiver
      .waitFor((received) => received.length >= ids.length, 120_000, 'every webhook')
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\nworker log:\n${stack.logTail('worker', 20)}`);
      });
    const seconds = (performance.now() - started) / 1000;
    const cost = await meter.stop(ids.length);

    const fromChange: number[] = [];
    const fromGateway: number[] = [];
    const fromCommit: number[] = [];
    for (const webhook of receiver.on('/bench')) {
      const payload = verifier.verify(webhook.body, webhook.headers) as {
        occurredAt: string;
        data: { consentRequestId: string };
      };
      const id = payload.data.consentRequestId;
      fromChange.push(webhook.receivedAt - (changedAt.get(id) ?? NaN));
      fromGateway.push(webhook.receivedAt - (observedAt.get(id) ?? NaN));
      fromCommit.push(webhook.receivedAt - Date.parse(payload.occurredAt));
    }
    for (const list of [fromChange, fromGateway, fromCommit]) list.sort((a, b) => a - b);
    const duplicates =
      receiver.on('/bench').length - new Set(receiver.on('/bench').map((w) => w.headers['webhook-id'])).size;

    const change = spread(fromChange);
    const gateway = spread(fromGateway);
    const commit = spread(fromCommit);
    const result = {
      bench: 'webhook-latency',
      consents: ids.length,
      webhooks: fromChange.length,
      duplicates,
      relayIntervalMs: Number(RELAY_INTERVAL_MS),
      concurrency: CONCURRENCY,
      acceptToWebhookP50Ms: change.p50,
      acceptToWebhookP99Ms: change.p99,
      acceptToWebhookMaxMs: change.max,
      refreshToWebhookP50Ms: gateway.p50,
      refreshToWebhookP99Ms: gateway.p99,
      refreshToWebhookMaxMs: gateway.max,
      eventToWebhookP50Ms: commit.p50,
      eventToWebhookP99Ms: commit.p99,
      eventToWebhookMaxMs: commit.max,
      webhooksPerSecond: Math.round(fromChange.length / seconds),
      cost,
    };
    console.log(
      `\nStatus change → webhook received (${ids.length} consents, ${CONCURRENCY} in flight, relay every ` +
        `${RELAY_INTERVAL_MS} ms, ${result.webhooksPerSecond} webhooks/s, ${duplicates} duplicates; ` +
        `${BENCH_APPS_FROM === 'dist' ? 'compiled' : 'from source'} processes, 2 shared cores: noisy)`,
    );
    console.table([
      {
        from: 'person accepts (simulator)',
        'p50 ms': change.p50,
        'p99 ms': change.p99,
        'max ms': change.max,
      },
      {
        from: 'gateway answers the refresh',
        'p50 ms': gateway.p50,
        'p99 ms': gateway.p99,
        'max ms': gateway.max,
      },
      {
        from: 'event committed (payload occurredAt)',
        'p50 ms': commit.p50,
        'p99 ms': commit.p99,
        'max ms': commit.max,
      },
    ]);
    printCost(cost, 'Accept → refresh → webhook');
    publish(result);
  } finally {
    await stack.close();
    await receiver.close();
  }
}

runBench(main);
