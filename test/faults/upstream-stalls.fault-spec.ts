import { setTimeout as sleep } from 'node:timers/promises';
import { FaultStack } from './support/fault-stack';

// Fault: Altinn, then Maskinporten, stall every call for 15 s (docs/upstream-contract.md §1
// mentions such stalls). The worker cuts calls at its timeout (10 s, production's default) and retries; the
// cut calls still land upstream after the stall, so a retry meets a consent that exists already (Altinn
// answers 200 for the same id) and must never create a second one.
describe('fault: 15 s upstream stalls', () => {
  const stack = new FaultStack('upstream-stalls');

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.close(), 60_000);

  it('loses no consent, event or webhook and creates nothing twice', async () => {
    stack.startLoad(8);
    await sleep(3_000);

    await stack.fault({ upstream: 'altinn', latencyMs: 15_000, forSeconds: 12 });
    await sleep(14_000);

    await stack.fault({ upstream: 'maskinporten', latencyMs: 15_000, forSeconds: 12 });
    await stack.expireCachedTokens();
    await sleep(14_000);

    await stack.stopLoad();
    await stack.clearFaults();
    await stack.verifyNothingLost();
  });
});
