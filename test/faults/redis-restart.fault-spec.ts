import { setTimeout as sleep } from 'node:timers/promises';
import { FaultStack } from './support/fault-stack';

// Fault: the queue's Redis restarts under load. This is the fault tests' own redis-server
// (never the machine's shared one), with AOF on as a production Redis has persistence: a graceful
// SHUTDOWN flushes the log and the restarted server has every queued job, lock and scheduler back.
// Gateway and worker reconnect by themselves; requests made while Redis is down wait for it.
describe('fault: Redis restart', () => {
  const stack = new FaultStack('redis-restart');

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.close(), 60_000);

  it('loses no consent, event or webhook and creates nothing twice', async () => {
    await stack.fault({ upstream: 'altinn', latencyMs: 200 });
    stack.startLoad(10);
    await sleep(5_000);

    await stack.redis.restart(3_000);
    await sleep(8_000);

    // Twice: the second time with the backlog of the first still draining.
    await stack.redis.restart(5_000);
    await sleep(8_000);

    await stack.stopLoad();
    await stack.clearFaults();
    await stack.verifyNothingLost();
  });
});
