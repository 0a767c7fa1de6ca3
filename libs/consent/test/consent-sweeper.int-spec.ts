import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { type JobPayloads, QueueName, type ScheduleKeeper } from '@gw/queue';
import { asTenantId, type TenantId } from '@gw/tenants';
import { deleteRedisKeys, TEST_REDIS_URL } from '@test/resources';
import { ConsentRepository } from '../src/consent.repository';
import { ConsentSweeper } from '../src/consent-sweeper';
import { DEFAULT_TRACKING } from '../src/consent-status.scheduler';
import { storePendingConsent } from './consent-test-kit';

// docs/architecture.md flow 2: the gateway stores the row, then enqueues; a crash in between leaves a pending
// row without a job. The sweeper finds those and enqueues them under the consent id, so a job is never
// doubled.
describe('ConsentSweeper', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  let database: TestDatabase;
  let queue: Queue<JobPayloads['consent-create']>;
  let consents: ConsentRepository;
  let sweeper: ConsentSweeper;
  let tenantId: TenantId;

  const pendingConsent = (): Promise<string> => storePendingConsent(consents, tenantId);

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(TEST_REDIS_URL);
    queue = new Queue(QueueName.ConsentCreate, {
      connection: { host: url.hostname, port: Number(url.port) },
      prefix,
    });
    consents = new ConsentRepository(database.dataSource);
    // Not registered: these tests run the sweep themselves.
    const keeper = { register: () => undefined } as unknown as ScheduleKeeper;
    sweeper = new ConsentSweeper(consents, queue, DEFAULT_TRACKING, keeper);
    tenantId = asTenantId(uuidV7());
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, '313876144', 'A')`,
      [tenantId],
    );
  });
  afterAll(async () => {
    await queue.close();
    await database.drop();
    await deleteRedisKeys(prefix);
  });

  it('enqueues a pending request that has no job, under its own id, once', async () => {
    const id = await pendingConsent();
    expect(await sweeper.sweep(0)).toEqual({ requeued: 1 });
    const job = await queue.getJob(id);
    expect(job?.data).toEqual({ tenantId, consentId: id });
    expect(await sweeper.sweep(0)).toEqual({ requeued: 0 });
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(1);
  });

  it('leaves requests younger than the grace period to the gateway that is still enqueuing them', async () => {
    await pendingConsent();
    expect(await sweeper.sweep(3600)).toEqual({ requeued: 0 });
  });

  it('runs a failed creation job again when the request is still pending', async () => {
    await queue.drain(true); // the jobs of the tests above
    const id = await pendingConsent();
    await queue.add('create', { tenantId, consentId: id }, { jobId: id, attempts: 1 });
    // A worker takes the job and fails it without recording that on the row (Postgres was away).
    const worker = new Worker(QueueName.ConsentCreate, null, {
      connection: queue.opts.connection,
      prefix,
      autorun: false,
    });
    try {
      const token = randomUUID();
      const job = await worker.getNextJob(token);
      expect(job?.id).toBe(id);
      await job!.moveToFailed(new Error('Postgres went away'), token, false);
      expect(await job!.getState()).toBe('failed');
    } finally {
      await worker.close();
    }
    await sweeper.sweep(0);
    expect(await (await queue.getJob(id))!.getState()).toBe('waiting');
  });
});
