import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import {
  type ConsentStatusJob,
  type JobPayloads,
  QueueName,
  type RestoreReason,
  ScheduleKeeper,
} from '@gw/queue';
import { asTenantId, type TenantId } from '@gw/tenants';
import { deleteRedisKeys, TEST_REDIS_URL, until } from '@test/resources';
import { ConsentRepository } from '../src/consent.repository';
import { ConsentStatusScheduler, DEFAULT_TRACKING } from '../src/consent-status.scheduler';
import { ConsentSweeper } from '../src/consent-sweeper';
import { storePendingConsent } from './consent-test-kit';

/** The sweeper with a short wait for creations in flight, so the test need not wait twelve seconds. */
class PromptSweeper extends ConsentSweeper {
  override restore(reason: RestoreReason, signal?: AbortSignal): Promise<void> {
    return super.restore(reason, signal, 1_000);
  }
}

// Redis restarted without its data (or flushed) while the worker runs: the job schedulers and every
// queued or delayed job are gone. The worker's keeper brings the schedulers back and rebuilds, from
// Postgres, the creation of each pending request and the tracking of each open one — no restart.
// "Flushed" here by deleting this test's own prefix (the machine's Redis is shared).
describe('a worker whose Redis lost its data', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  let database: TestDatabase;
  let redis: Redis;
  let createQueue: Queue<JobPayloads['consent-create']>;
  let statusQueue: Queue<ConsentStatusJob>;
  let consents: ConsentRepository;
  let keeper: ScheduleKeeper;
  let tenantId: TenantId;

  const stored = (): Promise<string> => storePendingConsent(consents, tenantId);
  const moved = async (id: string, from: 'pending' | 'created', to: 'created' | 'accepted') => {
    const consent = await consents.transition(tenantId, id, { from: [from], to, event: `consent.${to}` });
    if (!consent) throw new Error(`${id} did not become ${to}`);
    return consent;
  };
  const scheduler = async (queue: Queue, id: string): Promise<boolean> =>
    typeof (await queue.getJobScheduler(id))?.next === 'number';
  const state = (queue: Queue, id: string) => queue.getJobState(id);

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    database = await createTestDatabase();
    const connection = { url: TEST_REDIS_URL, maxRetriesPerRequest: null };
    createQueue = new Queue(QueueName.ConsentCreate, { connection, prefix });
    statusQueue = new Queue(QueueName.ConsentStatus, { connection, prefix });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    consents = new ConsentRepository(database.dataSource);
    tenantId = asTenantId(uuidV7());
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A')`,
      [tenantId],
    );
  });
  afterAll(async () => {
    keeper?.onModuleDestroy();
    await createQueue.close();
    await statusQueue.close();
    await redis.quit();
    await database.drop();
    await deleteRedisKeys(prefix);
    jest.restoreAllMocks();
  });

  it('gets its schedulers, pending creations and tracking jobs back without a restart', async () => {
    keeper = new ScheduleKeeper(redis, { redisUrl: TEST_REDIS_URL, prefix, scheduleKeeperIntervalMs: 200 });
    const sweeper = new PromptSweeper(consents, createQueue, DEFAULT_TRACKING, keeper);
    const tracking = new ConsentStatusScheduler(statusQueue, DEFAULT_TRACKING, consents, keeper);
    sweeper.onModuleInit();
    tracking.onModuleInit();

    // A request the gateway stored and enqueued; one Altinn created (awaiting the person); one accepted.
    const pending = await stored();
    await createQueue.add('create', { tenantId, consentId: pending }, { jobId: pending });
    const awaiting = await moved(await stored(), 'pending', 'created');
    await tracking.afterCreation(awaiting);
    const accepted = await moved(
      (await moved(await stored(), 'pending', 'created')).id,
      'created',
      'accepted',
    );
    await tracking.afterCreation(accepted);

    keeper.onApplicationBootstrap();
    await until('sweep scheduled', () => scheduler(createQueue, 'sweep-pending'));
    await until('feed scheduled', () => scheduler(statusQueue, `feed:${tenantId}`));
    await until('keeper settled', async () => (await redis.exists(`${prefix}:{schedule-keeper}:kept`)) === 1);

    await deleteRedisKeys(prefix);

    await until('sweep scheduled again', () => scheduler(createQueue, 'sweep-pending'));
    await until('feed scheduled again', () => scheduler(statusQueue, `feed:${tenantId}`));
    await until('expiries back', async () =>
      (await Promise.all([awaiting.id, accepted.id].map((id) => state(statusQueue, `expire-${id}`)))).every(
        (found) => found === 'delayed',
      ),
    );
    // The request awaiting the person is still in its early GETs: the next one is back too.
    expect(await state(statusQueue, `refresh-${awaiting.id}-0`)).toBe('delayed');
    expect(await state(statusQueue, `refresh-${accepted.id}-0`)).toBe('unknown');
    await until(
      'pending creation re-enqueued',
      async () => (await state(createQueue, pending)) === 'waiting',
    );
    expect((await createQueue.getJob(pending))?.data).toEqual({ tenantId, consentId: pending });
  });
});
