import { setTimeout as sleep } from 'node:timers/promises';
import { FaultStack } from './support/fault-stack';

// Fault: Postgres restarts under load (`pg_ctl stop -m fast`: every session is cut, as in
// a failover), stays down a few seconds and comes back. This is a throwaway cluster of the fault tests'
// own, never the machine's shared one. Requests refused while it is down were never promised to anyone;
// jobs that met the outage are retried; nothing that was answered 2xx may be lost.
describe('fault: Postgres restart', () => {
  const stack = new FaultStack('postgres-restart');

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.close(), 60_000);

  it('loses no consent, event or webhook and creates nothing twice', async () => {
    await stack.fault({ upstream: 'altinn', latencyMs: 200 });
    stack.startLoad(10);
    await sleep(5_000);

    await stack.postgres.restart(3_000);
    await sleep(8_000);

    await stack.postgres.restart(5_000);
    await sleep(8_000);

    await stack.stopLoad();
    await stack.clearFaults();
    const report = await stack.verifyNothingLost();
    // The outage really hit the intake: some requests were refused while Postgres was down.
    expect(Object.keys(report.refused).length).toBeGreaterThan(0);
    // Each refusal said "try again" (503 with Retry-After); none was a 500 someone must investigate.
    expect(Object.keys(report.refused)).toEqual(['HTTP 503']);
  });
});
