/**
 * Webhooks (DESIGN flow 5, issue 7): how long from a consent's status change to its webhook arriving, for
 * 1,000 consents. Each consent is created at the simulated Altinn, then accepted there (the person's
 * decision) and refreshed through the gateway (the bank's return from `redirectUrl`); the worker records
 * `consent.accepted`, the outbox relay fans it out, and a local receiver verifies and timestamps the
 * webhook. Runs the whole stack in this process on a fresh database and its own Redis prefix, with the
 * production relay interval and retry schedule, and removes everything it made.
 *
 *   node -r @swc-node/register test/bench/webhook-latency.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { createBody, READ, TENANT_A, WRITE } from '../../apps/gateway/test/consent-stack';
import { WebhookStack } from '../../apps/gateway/test/webhook-stack';
import { runBench } from './support/stack';

const CONSENTS = Number(process.env.BENCH_CONSENTS ?? 1000);
const CONCURRENCY = 20;
const RELAY_INTERVAL_MS = process.env.BENCH_RELAY_INTERVAL_MS ?? '1000';

async function pool(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const stack = new WebhookStack();
  try {
    await stack.startWebhookStack({
      WEBHOOK_RETRY_SCALE: '1',
      WEBHOOK_TIMEOUT_MS: '15000',
      WEBHOOK_ENDPOINT_CONCURRENCY: '8',
      WEBHOOK_RELAY_INTERVAL_MS: RELAY_INTERVAL_MS,
      // The person decides after the early GETs: the bank's refresh is what notices the change.
      CONSENT_EARLY_REFRESH_DELAYS_MS: '600000',
    });
    const { key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]);
    const endpoint = await stack.request<{ id: string; secret: string }>('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: stack.receiver.url('/bench'), eventTypes: ['consent.accepted'] },
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

    const changedAt = new Map<string, number>();
    const observedAt = new Map<string, number>();
    const started = performance.now();
    await pool(ids.length, CONCURRENCY, async (index) => {
      const id = ids[index];
      changedAt.set(id, Date.now());
      await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
      const refreshed = await stack.request<{ status: string }>(
        'GET',
        `/v1/consent-requests/${id}?refresh=true`,
        {
          key,
        },
      );
      if (refreshed.body.status !== 'accepted') throw new Error(`refresh of ${id}: ${refreshed.body.status}`);
      observedAt.set(id, Date.now());
    });
    await stack.receiver.waitFor((received) => received.length >= ids.length, 120_000, 'every webhook');
    const seconds = (performance.now() - started) / 1000;

    const fromChange: number[] = [];
    const fromGateway: number[] = [];
    for (const webhook of stack.receiver.on('/bench')) {
      const payload = verifier.verify(webhook.body, webhook.headers) as {
        data: { consentRequestId: string };
      };
      const id = payload.data.consentRequestId;
      fromChange.push(webhook.receivedAt - (changedAt.get(id) ?? NaN));
      fromGateway.push(webhook.receivedAt - (observedAt.get(id) ?? NaN));
    }
    fromChange.sort((a, b) => a - b);
    fromGateway.sort((a, b) => a - b);
    const duplicates =
      stack.receiver.on('/bench').length -
      new Set(stack.receiver.on('/bench').map((w) => w.headers['webhook-id'])).size;

    const result = {
      bench: 'webhook-latency',
      consents: ids.length,
      webhooks: fromChange.length,
      duplicates,
      relayIntervalMs: Number(RELAY_INTERVAL_MS),
      concurrency: CONCURRENCY,
      acceptToWebhookP50Ms: percentile(fromChange, 50),
      acceptToWebhookP99Ms: percentile(fromChange, 99),
      refreshToWebhookP50Ms: percentile(fromGateway, 50),
      refreshToWebhookP99Ms: percentile(fromGateway, 99),
      webhooksPerSecond: Math.round(fromChange.length / seconds),
    };
    console.log(
      `\nStatus change → webhook received (${ids.length} consents, relay every ${RELAY_INTERVAL_MS} ms)`,
    );
    console.table([
      {
        from: 'person accepts (simulator)',
        p50: result.acceptToWebhookP50Ms,
        p99: result.acceptToWebhookP99Ms,
      },
      {
        from: 'gateway answers the refresh',
        p50: result.refreshToWebhookP50Ms,
        p99: result.refreshToWebhookP99Ms,
      },
    ]);
    console.log(JSON.stringify(result));
  } finally {
    await stack.close();
  }
}

runBench(main);
