import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { keepJobScheduler, type RestoreReason, ScheduleKeeper } from '@gw/queue';
import { deleteRedisKeys, TEST_REDIS_URL, until } from '@test/resources';

// A Redis restarted without its data, or flushed, has no job schedulers; BullMQ only creates them when
// asked. These tests "flush" by deleting their own prefix's keys (the machine's Redis is shared).
describe('ScheduleKeeper (real Redis)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  const prefixes: string[] = [];
  let warn: jest.SpyInstance;

  beforeAll(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    for (const prefix of prefixes) await deleteRedisKeys(prefix);
    jest.restoreAllMocks();
  });

  /** One worker's keeper, on its own connection, with a scheduler of its own and a log of its restores. */
  async function worker(prefix: string, intervalMs: number, reconnectMs = 50) {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null, retryStrategy: () => reconnectMs });
    const queueRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('kept', { connection: queueRedis, prefix });
    const keeper = new ScheduleKeeper(redis, {
      redisUrl: TEST_REDIS_URL,
      prefix,
      scheduleKeeperIntervalMs: intervalMs,
    });
    closers.push(
      () => queueRedis.quit(),
      () => queue.close(),
      () => redis.quit(),
      () => Promise.resolve(keeper.onModuleDestroy()),
    );
    const restores: RestoreReason[] = [];
    keeper.register({
      name: 'the test schedule',
      ensure: () => keepJobScheduler(queue, 'every-minute', 60_000, { name: 'tick' }),
      restore: (reason) => {
        restores.push(reason);
        return Promise.resolve();
      },
    });
    await until('redis ready', () => redis.status === 'ready');
    return { redis, queueRedis, queue, keeper, restores };
  }

  const newPrefix = (): string => {
    const prefix = `sgw-test-keeper-${randomUUID()}`;
    prefixes.push(prefix);
    return prefix;
  };
  const hasScheduler = async (queue: Queue): Promise<boolean> =>
    typeof (await queue.getJobScheduler('every-minute'))?.next === 'number';

  it('creates the scheduler at start and again on its timer after the keys were flushed', async () => {
    const prefix = newPrefix();
    const { queue, keeper, restores } = await worker(prefix, 100);
    keeper.onApplicationBootstrap();
    await until('scheduler created', () => hasScheduler(queue));
    // No marker yet: a Redis this worker has never seen counts as one that lost its data.
    await until('start and lost restores', () => restores.includes('start') && restores.includes('lost'));

    await deleteRedisKeys(prefix);
    await until('scheduler created again', () => hasScheduler(queue));
    await until('second lost restore', () => restores.filter((reason) => reason === 'lost').length === 2);
    expect(restores.filter((reason) => reason === 'start')).toHaveLength(1);
    expect(warn.mock.calls.some(([message]) => String(message).includes('were missing in Redis'))).toBe(true);
  });

  it('checks at once when the connection is ready again, without waiting for its timer', async () => {
    const prefix = newPrefix();
    const { redis, queue, keeper, restores } = await worker(prefix, 3_600_000, 500);
    keeper.onApplicationBootstrap();
    await until('scheduler created', () => hasScheduler(queue));
    await until('lost restore at start', () => restores.includes('lost'));

    // As a Redis restarted empty: the data is gone and the connection comes back.
    await deleteRedisKeys(prefix);
    const closed = new Promise((resolve) => redis.once('close', resolve));
    redis.disconnect(true);
    await closed;
    // A tick while the connection is down does nothing, and must not keep later ones from running.
    await keeper.tick();
    await until('scheduler created again', () => hasScheduler(queue));
    await until('second lost restore', () => restores.filter((reason) => reason === 'lost').length === 2);
  });

  it('has one worker of several restore the lost jobs, however many notice', async () => {
    const prefix = newPrefix();
    const a = await worker(prefix, 3_600_000);
    const b = await worker(prefix, 3_600_000);
    const lost = (): number => [...a.restores, ...b.restores].filter((reason) => reason === 'lost').length;
    const marker = async (): Promise<boolean> =>
      (await a.redis.exists(`${prefix}:{schedule-keeper}:kept`)) === 1;

    a.keeper.onApplicationBootstrap();
    b.keeper.onApplicationBootstrap();
    await until('restored once', async () => (await marker()) && lost() === 1);
    await deleteRedisKeys(prefix);
    await Promise.all([a.keeper.tick(), b.keeper.tick()]);
    await until('restored once more', async () => (await marker()) && lost() === 2);
    await Promise.all([a.keeper.tick(), b.keeper.tick(), a.keeper.tick(), b.keeper.tick()]);
    await until('marker set', marker);
    expect(lost()).toBe(2);
    expect(await hasScheduler(a.queue)).toBe(true);
  });

  it('costs two commands per tick while nothing is lost', async () => {
    const prefix = newPrefix();
    const { redis, queueRedis, queue, keeper } = await worker(prefix, 3_600_000);
    keeper.onApplicationBootstrap();
    await until(
      'settled',
      async () =>
        (await hasScheduler(queue)) && (await redis.exists(`${prefix}:{schedule-keeper}:kept`)) === 1,
    );

    // Every command the keeper's connection and the queue's connection send from here on.
    const seen: string[] = [];
    for (const client of [redis, queueRedis]) {
      const send = client.sendCommand.bind(client);
      jest.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
        seen.push(command.name);
        return send(command, stream);
      });
    }
    const ticks = 20;
    for (let tick = 0; tick < ticks; tick += 1) await keeper.tick();
    process.stdout.write(
      `[schedule-keeper] ${seen.length / ticks} Redis commands per tick (${[...new Set(seen)].join(', ')})\n`,
    );
    // The marker and the one scheduler: EXISTS and one script.
    expect(seen.length / ticks).toBe(2);
  });
});
