import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { FaultStack, verifiedPayload } from './support/fault-stack';
import { FeedWatcher, lagSummary } from './support/feed-watcher';

/** Consents per second across both gateways, all scenarios long. */
const RATE = 10;
/**
 * How long the foreign transaction stays open. Production saw 90 s; CI (CI=true) holds it 30 s, which
 * shows the same (a feed held back would lag by the whole duration) and keeps the fault suite within
 * about ten minutes. FAULT_FOREIGN_TX_SECONDS overrides both.
 */
const FOREIGN_TX_SECONDS = Number(process.env.FAULT_FOREIGN_TX_SECONDS ?? (process.env.CI ? 30 : 90));
/** After a worker or Redis fault, webhooks must flow again within this (docs/events.md). */
const RESUME_WITHIN_MS = 15_000;

interface ScenarioWindow {
  name: string;
  start: number;
  end: number;
}

// Two gateway and two worker processes on one Redis and one Postgres cluster, under a steady load with
// webhook endpoints and a consumer polling every tenant's feed through both gateways. One fault after
// another: a worker killed, Redis restarted with and without its data, Postgres restarted, Altinn
// down long enough for its circuit breaker to open and close, and a long transaction in another
// database. Then: every accepted POST created at Altinn once, no consent stuck, every event delivered
// by webhook under one id, a fresh read of every feed in order and identical to what the polling
// consumer got, and per scenario the lags as plain lines.
describe('fault: two gateways and two workers through one fault after another', () => {
  // Five Node processes share the machine's 2 cores here: each worker creates at most 32 consents at
  // once on 20 connections, so the backlog an outage leaves does not starve its pool (the default 128
  // creations on 10 connections is sized for a worker with a core of its own).
  const stack = new FaultStack('replicated', {
    gateways: 2,
    workerEnv: { CONSENT_CREATE_CONCURRENCY: '32', DATABASE_POOL_SIZE: '20' },
  });
  const windows: ScenarioWindow[] = [];
  let watcher: FeedWatcher;

  beforeAll(async () => {
    await stack.start();
    await stack.startWorker();
    watcher = new FeedWatcher(stack.tenants, stack.gatewayUrls);
  }, 300_000);
  afterAll(async () => {
    await watcher?.stop();
    await stack.close();
  }, 60_000);

  async function scenario(name: string, run: () => Promise<void>): Promise<void> {
    const start = Date.now();
    await run();
    windows.push({ name, start, end: Date.now() });
    process.stdout.write(
      `[faults] replicated: ${name} done after ${Math.round((Date.now() - start) / 1000)} s\n`,
    );
  }

  async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  }

  const altinnBreaker = async (): Promise<string> => {
    const answer = await stack.request<{ data: { upstream: string; state: string }[] }>(
      'GET',
      '/admin/v1/system/upstreams',
    );
    return answer.body.data.find((status) => status.upstream === 'altinn')?.state ?? 'unknown';
  };

  it(
    'loses, doubles and skips nothing, and prints the lags of each scenario',
    async () => {
      // Each Altinn call takes a little while, so creations are in flight whenever a fault strikes.
      await stack.fault({ upstream: 'altinn', latencyMs: 100 });
      stack.startLoad(RATE);
      watcher.start();

      await scenario('baseline', () => sleep(10_000));

      await scenario('worker kill -9', async () => {
        await stack.waitForActiveJobs('consent-create');
        const victim = stack.workers.find((worker) => worker.pid !== undefined)!;
        await victim.kill9();
        await sleep(3_000);
        await stack.startWorker();
        await sleep(6_000);
      });

      await scenario('Redis restart with its data', async () => {
        await stack.redis.restart(3_000);
        await sleep(9_000);
      });

      await scenario('Redis restart without its data', async () => {
        await stack.redis.restartEmpty(3_000);
        // The sweep re-enqueues pending requests from before the loss after its grace (12 s).
        await sleep(16_000);
      });

      await scenario('Postgres restart', async () => {
        await stack.postgres.restart(3_000);
        await sleep(9_000);
      });

      let opened = false;
      let closed = false;
      await scenario('Altinn outage', async () => {
        await stack.fault({ upstream: 'altinn', status: 503, latencyMs: 100, forSeconds: 25 });
        const down = Date.now();
        await until('Altinn’s breaker opens', 20_000, async () => (await altinnBreaker()) === 'open');
        opened = true;
        process.stdout.write(
          `[faults] replicated: Altinn’s breaker open ${Date.now() - down} ms into the outage\n`,
        );
        // The outage ends after 25 s; a probe after the cool-down finds Altinn back, more follow.
        await until(
          'Altinn’s breaker closes again',
          120_000,
          async () => (await altinnBreaker()) === 'closed',
        );
        closed = true;
        process.stdout.write(
          `[faults] replicated: Altinn’s breaker closed ${Date.now() - down} ms after the outage began (it lasted 25 s)\n`,
        );
        await stack.fault({ upstream: 'altinn', latencyMs: 100 });
        await sleep(5_000);
      });

      await scenario(`a ${FOREIGN_TX_SECONDS} s transaction in another database`, async () => {
        const otherUrl = await stack.postgres.createDatabase('sgw_fault_other');
        const other = new Client({ connectionString: otherUrl });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query('SELECT txid_current()');
          await sleep(FOREIGN_TX_SECONDS * 1000);
          await other.query('COMMIT');
        } finally {
          await other.end();
        }
      });

      await stack.stopLoad();
      // The lags are printed even when an invariant fails: they tell where to look.
      const verified = await stack.verifyNothingLost().then(
        (report) => ({ report }),
        (error: unknown) => ({ error }),
      );
      // The consumer catches up, then must hold exactly what a fresh read of each feed returns.
      for (const tenant of stack.tenants) await watcher.poll(tenant, stack.gatewayUrls[1]);
      await watcher.stop();
      const fresh = await stack.allEvents();
      const problems = [...watcher.problems];
      for (const [tenant, events] of fresh) {
        const polled = (watcher.received.get(tenant.tenantId) ?? []).map((event) => event.id);
        const read = events.map((event) => event.id);
        if (polled.join(',') !== read.join(','))
          problems.push(
            `${tenant.orgNumber}: the polling consumer got ${polled.length} events, a fresh read ${read.length}`,
          );
      }

      // The lags, per scenario, by when each event occurred.
      const occurredAt = new Map<string, number>();
      for (const events of fresh.values())
        for (const event of events) occurredAt.set(event.id, Date.parse(event.occurredAt));
      const webhookAt = new Map<string, number>();
      for (const tenant of stack.tenants) {
        if (!tenant.endpoint) continue;
        for (const webhook of stack.receiver.on(tenant.endpoint.path)) {
          const { id } = verifiedPayload(tenant.endpoint.secret, webhook);
          if (!webhookAt.has(id)) webhookAt.set(id, webhook.receivedAt);
        }
      }
      const arrivals = [...webhookAt.values()].sort((a, b) => a - b);
      const longestSilence = (window: ScenarioWindow): number => {
        let previous = window.start;
        let longest = 0;
        for (const at of arrivals) {
          if (at < window.start) continue;
          if (at > window.end) break;
          longest = Math.max(longest, at - previous);
          previous = at;
        }
        return Math.max(longest, window.end - previous);
      };
      const feedLagP99: Record<string, number> = {};
      for (const window of windows) {
        const inWindow = [...occurredAt].filter(([, at]) => at >= window.start && at < window.end);
        const webhookLags = inWindow.flatMap(([id, at]) =>
          webhookAt.has(id) ? [webhookAt.get(id)! - at] : [],
        );
        const feedLags = inWindow.flatMap(([id, at]) =>
          watcher.seenAt.has(id) ? [watcher.seenAt.get(id)! - at] : [],
        );
        const sortedFeed = [...feedLags].sort((a, b) => a - b);
        feedLagP99[window.name] = sortedFeed[Math.max(0, Math.ceil(0.99 * sortedFeed.length) - 1)] ?? 0;
        process.stdout.write(
          `[faults] replicated ${window.name} (${Math.round((window.end - window.start) / 1000)} s): ` +
            `events ${inWindow.length}; event → webhook ${lagSummary(webhookLags)}; feed lag ${lagSummary(feedLags)}; ` +
            `longest webhook silence ${longestSilence(window)} ms\n`,
        );
      }

      if ('error' in verified) throw verified.error;
      expect(problems.slice(0, 50)).toEqual([]);
      expect({ opened, closed }).toEqual({ opened: true, closed: true });
      expect(verified.report.accepted2xx).toBeGreaterThan(RATE * 60);
      // Webhooks flow again soon after a worker dies or Redis comes back, with or without its data.
      const stalls = windows
        .slice(1, 4)
        .map((window) => ({ scenario: window.name, silenceMs: longestSilence(window) }))
        .filter((stall) => stall.silenceMs > RESUME_WITHIN_MS);
      expect(stalls).toEqual([]);
      // A transaction elsewhere in the cluster holds no feed back (it used to lag by its whole length).
      const foreign = windows[windows.length - 1];
      expect(feedLagP99[foreign.name]).toBeLessThan(Math.min(10_000, (FOREIGN_TX_SECONDS * 1000) / 2));
      // The scenarios take about 3 minutes plus the foreign transaction; settling and checking up to 5 more.
    },
    // The scenarios take about 4 minutes plus the foreign transaction; settling and checking up to 10 more.
    (FOREIGN_TX_SECONDS + 900) * 1000,
  );
});
