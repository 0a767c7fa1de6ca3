import { setTimeout as sleep } from 'node:timers/promises';
import { FaultStack } from './support/fault-stack';

// Fault: the worker dies with SIGKILL while it holds jobs (consent creations in flight at
// Altinn, deliveries, relay runs); a new worker takes over. BullMQ hands the dead worker's jobs on once
// their locks lapse (stalled-job check), and every step is idempotent, so nothing is lost or doubled.
describe('fault: worker kill -9 mid-job', () => {
  const stack = new FaultStack('worker-kill');

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.close(), 60_000);

  it('loses no consent, event or webhook and creates nothing twice', async () => {
    // Each Altinn call takes a little while, so creations are surely in flight when the worker dies.
    await stack.fault({ upstream: 'altinn', latencyMs: 300 });
    stack.startLoad(10);
    await sleep(5_000);

    const first = stack.worker;
    const active = await stack.waitForActiveJobs('consent-create');
    await first.kill9();
    expect(active).toBeGreaterThan(0);

    await sleep(2_000); // the load goes on with no worker at all
    const second = await stack.startWorker();
    await sleep(5_000);

    // And once more, the new worker, while it works through the backlog.
    const activeAgain = await stack.waitForActiveJobs('consent-create');
    await second.kill9();
    expect(activeAgain).toBeGreaterThan(0);
    await stack.startWorker();
    await sleep(5_000);

    await stack.stopLoad();
    await stack.clearFaults();
    await stack.verifyNothingLost();
  });
});
