import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import Redis from 'ioredis';
import { type BreakerPolicy, CircuitBreakers } from '@gw/circuit-breaker';
import { redisOptionsFromUrl } from '@gw/queue';
import { deleteRedisKeys, TEST_REDIS_URL } from '@test/resources';

const policy: BreakerPolicy = {
  failureThreshold: 3,
  coolDownMs: 150,
  maxCoolDownMs: 1_000,
  successesToClose: 3,
  probeLeaseMs: 30_000,
  probeRecheckMs: 50,
};

async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

// Two workers' breakers on their own connections, one key prefix: what one records, the other obeys.
describe('CircuitBreakers shared through Redis', () => {
  const closers: (() => Promise<unknown>)[] = [];
  const prefixes: string[] = [];

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    for (const prefix of prefixes) await deleteRedisKeys(prefix);
    jest.restoreAllMocks();
  });

  function fleet(count: number, reachable = true): { prefix: string; breakers: CircuitBreakers[] } {
    const prefix = `sgw-test-breaker-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const breakers = Array.from({ length: count }, () => {
      const redis = reachable
        ? new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 })
        : // Never connected: every command fails at once, as while Redis is away.
          new Redis(TEST_REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
      closers.push(() => Promise.resolve(redis.disconnect()));
      return new CircuitBreakers(redis, { prefix }, policy);
    });
    return { prefix, breakers };
  }

  const stateOf = async (breakers: CircuitBreakers, upstream = 'altinn') =>
    (await breakers.status()).find((status) => status.upstream === upstream)!;

  /** Waits until the writes `recordCall` sent off (fire and forget) show. */
  const settled = (breakers: CircuitBreakers, state: string, upstream = 'altinn') =>
    until(`${upstream} ${state}`, async () => (await stateOf(breakers, upstream)).state === state);

  it('opens for every worker when one of them saw the failures, and holds their jobs back', async () => {
    const { breakers } = fleet(2);
    const [first, second] = breakers;
    for (let i = 0; i < 3; i += 1) first.recordCall('altinn', 503);
    await settled(second, 'open');

    const held = await second.admit(['maskinporten', 'altinn']);
    expect(held).toMatchObject({ kind: 'hold', upstream: 'altinn' });
    expect(held.kind === 'hold' && held.retryInMs).toBeGreaterThan(0);
    // The other upstream is untouched.
    expect(await stateOf(second, 'maskinporten')).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('never opens for refusals (4xx) or 429, nor for failures between successes', async () => {
    const [breakers] = fleet(1).breakers;
    for (let i = 0; i < 5; i += 1) breakers.recordCall('maskinporten', 400);
    for (let i = 0; i < 5; i += 1) breakers.recordCall('maskinporten', 429);
    for (let i = 0; i < 4; i += 1) {
      breakers.recordCall('maskinporten', 'timeout');
      await until('failure counted', async () => (await stateOf(breakers, 'maskinporten')).failures > 0);
      breakers.recordCall('maskinporten', 200);
      await until('failures forgotten', async () => (await stateOf(breakers, 'maskinporten')).failures === 0);
    }
    expect(await stateOf(breakers, 'maskinporten')).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('after the cool-down lets one probe in across workers, then more, then closes', async () => {
    const { breakers } = fleet(2);
    const [first, second] = breakers;
    for (let i = 0; i < 3; i += 1) first.recordCall('altinn', 'network');
    await settled(first, 'open');
    await settled(second, 'half_open');

    const probe = await first.admit(['altinn']);
    expect(probe).toMatchObject({ kind: 'run', probes: [{ upstream: 'altinn' }] });
    expect(await second.admit(['altinn'])).toMatchObject({ kind: 'hold', upstream: 'altinn' });
    expect(await stateOf(second)).toMatchObject({ probesAllowed: 1, probesInFlight: 1 });

    await first.finish(probe, true);
    expect(await stateOf(second)).toMatchObject({ state: 'half_open', probesAllowed: 2, probesInFlight: 0 });
    const two = [await second.admit(['altinn']), await first.admit(['altinn'])];
    expect(two.map((pass) => pass.kind)).toEqual(['run', 'run']);
    expect((await second.admit(['altinn'])).kind).toBe('hold');

    for (const pass of two) await second.finish(pass, true);
    expect(await stateOf(first)).toMatchObject({ state: 'closed', failures: 0 });
    expect(await first.admit(['altinn'])).toEqual({ kind: 'run', probes: [] });
  });

  it('opens again, for twice as long, when a probe meets the upstream still down', async () => {
    const { breakers } = fleet(2);
    const [first, second] = breakers;
    for (let i = 0; i < 3; i += 1) first.recordCall('altinn', 500);
    await settled(second, 'half_open');
    const probe = await second.admit(['altinn']);
    second.recordCall('altinn', 'timeout');
    await settled(first, 'open');
    await second.finish(probe, false);
    const status = await stateOf(first);
    expect(Date.parse(status.probeAt!) - Date.parse(status.since!)).toBe(2 * policy.coolDownMs);
  });

  it('lets jobs run when Redis cannot be reached', async () => {
    const { breakers } = fleet(1, false);
    expect(await breakers[0].admit(['altinn', 'maskinporten'])).toEqual({ kind: 'run', probes: [] });
  });

  it('puts a held job back in the queue without spending an attempt, and runs it once closed', async () => {
    const { prefix, breakers } = fleet(1);
    const [shared] = breakers;
    const connection = { ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: null };
    const queue = new Queue('breaker-held', { connection, prefix });
    const events = new QueueEvents('breaker-held', { connection, prefix });
    closers.push(
      () => queue.close(),
      () => events.close(),
    );
    const ran: number[] = [];
    const worker: Worker = new Worker(
      'breaker-held',
      (job: Job) =>
        shared.guard({ worker }, ['altinn'], () => {
          ran.push(job.attemptsMade);
          return Promise.resolve('done');
        }),
      { connection, prefix },
    );
    closers.push(() => worker.close());
    await events.waitUntilReady();

    for (let i = 0; i < 3; i += 1) shared.recordCall('altinn', 502);
    await settled(shared, 'open');
    // The job is taken while the breaker is open: it must wait, not fail.
    const job = await queue.add('create', {}, { attempts: 1 });
    await until('the job was taken and put back', async () => {
      const taken = await queue.getJob(job.id!);
      return taken!.attemptsStarted > 0 && (await taken!.getState()) === 'waiting';
    });
    expect(ran).toEqual([]);
    await until('the breaker half-open', async () => (await stateOf(shared)).state === 'half_open');
    const finished = await job.waitUntilFinished(events, 10_000);
    expect(finished).toBe('done');
    const done = (await queue.getJob(job.id!))!;
    expect(ran).toEqual([0]);
    expect(done.attemptsMade).toBe(1);
    expect(await queue.getFailedCount()).toBe(0);
  });
});
