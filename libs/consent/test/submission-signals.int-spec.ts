import { randomUUID } from 'node:crypto';
import { type Queue } from 'bullmq';
import type Redis from 'ioredis';
import { createRedisConnection } from '@gw/queue';
import { SubmissionSignals } from '../src/submission-signals';

// A gateway and a worker over the machine's Redis, on a channel under a prefix of this run's own: the
// worker's announcement ends the gateway's wait, and only the interest in that consent.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('SubmissionSignals over Redis', () => {
  const queue = { qualifiedName: `sgw-test-${randomUUID()}:consent-create` } as Queue;
  let gatewayRedis: Redis;
  let workerRedis: Redis;
  let gateway: SubmissionSignals;
  let worker: SubmissionSignals;

  beforeAll(async () => {
    // The gateway's shared connection is lazy and refuses commands while offline.
    gatewayRedis = createRedisConnection(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    workerRedis = createRedisConnection(REDIS_URL);
    await workerRedis.connect();
    gateway = new SubmissionSignals(queue, gatewayRedis);
    worker = new SubmissionSignals(queue, workerRedis);
  });

  afterAll(async () => {
    await gateway.onModuleDestroy();
    gatewayRedis.disconnect();
    workerRedis.disconnect();
  });

  it("ends the wait for the announced consent and leaves another consent's wait running", async () => {
    const announced = randomUUID();
    const other = randomUUID();
    const first = await gateway.expect(announced);
    const second = await gateway.expect(other);
    const settled = first.settled(5_000);
    const unsettled = second.settled(300);
    await worker.announce(announced);
    expect(await settled).toBe(true);
    expect(await unsettled).toBe(false);
  });

  it('hears nothing after the interest was cancelled', async () => {
    const consentId = randomUUID();
    const expectation = await gateway.expect(consentId);
    expectation.cancel();
    await worker.announce(consentId);
    expect(await expectation.settled(200)).toBe(false);
  });
});
