import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { FaultStack } from './support/fault-stack';

// Redis comes back EMPTY while gateway and worker keep running: first a FLUSHALL under load (no
// disconnect at all), then a restart without persistence. Every job scheduler (relay, pending sweep,
// feed pollers) and every queued or delayed job is gone; nothing may be lost for it. The worker's
// schedule keeper notices (a marker key vanishes), creates the schedulers again and rebuilds from
// Postgres what lived only in Redis: pending creations, due webhook deliveries, expiry jobs, feeds.
describe('fault: Redis comes back empty', () => {
  const stack = new FaultStack('redis-flush');
  const queues = new Map<string, Queue>();
  let db: Client;
  const lags: Record<string, number> = {};

  const queue = (name: string): Queue => {
    let handle = queues.get(name);
    if (!handle) {
      handle = new Queue(name, {
        connection: { host: '127.0.0.1', port: stack.redis.port, maxRetriesPerRequest: null },
        prefix: stack.queuePrefix,
      });
      queues.set(name, handle);
    }
    return handle;
  };
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await db.query(sql, params)).rows as T[];
  const hasScheduler = async (name: string, id: string): Promise<boolean> =>
    typeof (await queue(name).getJobScheduler(id))?.next === 'number';

  /** What the worker said about lost schedules and jobs (its log is mostly BullMQ's lost-lock errors). */
  const restoreLog = (): string =>
    readFileSync(stack.worker.logFile, 'utf8')
      .split('\n')
      .filter((line) => /"context":"(ScheduleKeeper|ConsentSweeper|WebhookRelayService)"/.test(line))
      .join('\n');

  /** Waits for `done` at most `timeoutMs`, failing the test if it never happens; answers the lag. */
  async function lag(
    what: string,
    since: number,
    timeoutMs: number,
    done: () => Promise<boolean>,
  ): Promise<number> {
    const deadline = since + timeoutMs;
    for (;;) {
      if (await done().catch(() => false)) break;
      if (Date.now() > deadline) {
        process.stdout.write(`[faults] redis-flush: the worker's restore log\n${restoreLog()}\n`);
        throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      }
      await sleep(100);
    }
    return Date.now() - since;
  }

  async function measure(what: string, since: number, timeoutMs: number, done: () => Promise<boolean>) {
    lags[what] = await lag(what, since, timeoutMs, done);
  }

  /**
   * Consents Altinn created more than `minAgeMs` ago (their early GETs are over, only the feed can see
   * a decision now) that the stack's person will never accept.
   */
  async function awaitingThePerson(minAgeMs: number, count: number): Promise<string[]> {
    let found: { id: string }[] = [];
    await lag(`${count} consents awaiting the person`, Date.now(), 60_000, async () => {
      const untouched = stack.load.accepted.filter((_, index) => index % 4 !== 0).map((post) => post.id);
      found = await rows<{ id: string }>(
        `SELECT id FROM consent_requests
          WHERE status = 'created' AND updated_at < now() - make_interval(secs => $2)
            AND id = ANY($1::uuid[])
          ORDER BY id LIMIT $3`,
        [untouched, minAgeMs / 1000, count],
      );
      return found.length === count;
    });
    return found.map((row) => row.id);
  }

  async function acceptedThroughTracking(ids: string[]): Promise<boolean> {
    const found = await rows<{ status: string }>(
      'SELECT status FROM consent_requests WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return found.length === ids.length && found.every((row) => row.status === 'accepted');
  }

  const schedulersBack = async (): Promise<boolean> => {
    const tenants = await rows<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM consent_requests WHERE status IN ('created', 'accepted')`,
    );
    const found = await Promise.all([
      hasScheduler('webhook-relay', 'webhook-relay'),
      hasScheduler('consent-create', 'sweep-pending'),
      ...tenants.map((tenant) => hasScheduler('consent-status', `feed:${tenant.tenant_id}`)),
    ]);
    return found.every(Boolean);
  };

  beforeAll(async () => {
    await stack.start();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 180_000);
  afterAll(async () => {
    for (const handle of queues.values()) await handle.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await stack.close();
  }, 60_000);

  it('restores schedulers and jobs from Postgres, without a restart, and loses or doubles nothing', async () => {
    const hooks = stack.tenants[0].endpoint!.path;
    await stack.fault({ upstream: 'altinn', latencyMs: 200 });
    stack.startLoad(10);
    await sleep(4_000);
    const beforeFlush = await awaitingThePerson(4_000, 3);

    // --- 1. FLUSHALL under load, with work in every state. ---
    // The first endpoint stops answering (its deliveries queue up behind its 4 slots, their jobs
    // delayed in Redis) and Altinn refuses every creation for a while (their jobs wait out backoff
    // delays in Redis). Both stay short of the 5 s webhook timeout and the creations' last attempt.
    stack.receiver.answer(hooks, () => 'hang');
    await sleep(2_500);
    await stack.fault({ upstream: 'altinn', status: 503, latencyMs: 200, forSeconds: 4 });
    await sleep(1_500);
    const due = await rows<{ id: string; endpoint_id: string }>(
      `SELECT id, endpoint_id FROM webhook_deliveries
        WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()`,
    );
    const pending = await rows<{ id: string }>(`SELECT id FROM consent_requests WHERE status = 'pending'`);
    const flushed = Date.now();
    await stack.redis.flushAll();
    stack.receiver.answer(hooks, () => ({ status: 200 }));
    stack.receiver.release(hooks);
    for (const id of beforeFlush) await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    // More than its 4 slots: some waited with a job that only Redis had.
    expect(due.filter((row) => row.endpoint_id === stack.tenants[0].endpoint!.id).length).toBeGreaterThan(4);
    expect(pending.length).toBeGreaterThan(0);

    await Promise.all([
      measure('flush: schedulers back', flushed, 15_000, schedulersBack),
      measure('flush: due webhooks delivered', flushed, 15_000, async () => {
        const open = await rows<{ n: string }>(
          `SELECT count(*) AS n FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status <> 'succeeded'`,
          [due.map((row) => row.id)],
        );
        return Number(open[0].n) === 0;
      }),
      measure('flush: pending requests created at Altinn', flushed, 60_000, async () => {
        const left = await rows<{ n: string }>(
          `SELECT count(*) AS n FROM consent_requests WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
          [pending.map((row) => row.id)],
        );
        return Number(left[0].n) === 0;
      }),
      measure('flush: accepted by the person, seen by tracking', flushed, 30_000, () =>
        acceptedThroughTracking(beforeFlush),
      ),
    ]);
    await stack.stopLoad();

    // --- 2. Redis restarts without its data, with no new work to bring anything back by chance. ---
    await sleep(2_000);
    const beforeRestart = await awaitingThePerson(4_000, 3);
    await stack.redis.restartEmpty(2_000);
    const up = Date.now();
    for (const id of beforeRestart) await stack.sim.control('POST', `/_sim/consents/${id}/accept`);

    await Promise.all([
      measure('restart: schedulers back', up, 15_000, schedulersBack),
      measure('restart: accepted by the person, seen by tracking', up, 30_000, () =>
        acceptedThroughTracking(beforeRestart),
      ),
      measure('restart: every open request has its expiry job', up, 30_000, async () => {
        const open = await rows<{ id: string }>(
          `SELECT id FROM consent_requests WHERE status IN ('created', 'accepted')`,
        );
        const states = await Promise.all(
          open.map(({ id }) => queue('consent-status').getJobState(`expire-${id}`)),
        );
        return open.length > 0 && states.every((state) => state === 'delayed');
      }),
      measure('restart: signing JWKS published again', up, 30_000, async () => {
        return (await stack.request('GET', '/admin/v1/signing/jwks')).status === 200;
      }),
    ]);

    process.stdout.write(
      `[faults] redis-flush lags (ms): ${JSON.stringify(lags)}; due webhooks at the flush: ${due.length}, pending requests: ${pending.length}\n`,
    );
    await stack.clearFaults();
    // Every accepted request created at Altinn, once; every event once; every webhook delivered.
    await stack.verifyNothingLost();
  });
});
