import { setTimeout as sleep } from 'node:timers/promises';
import { FaultStack } from './support/fault-stack';

// Fault: bursts of 503 from Altinn, then Maskinporten, then KMS, each for 5 s on half the
// calls, under a steady load. Creations are retried with backoff (Altinn's create is idempotent on the
// id); cached tokens are dropped at each Maskinporten/KMS burst so that token fetches really meet it.
describe('fault: upstream 503 bursts', () => {
  const stack = new FaultStack('upstream-503');

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.close(), 60_000);

  it('loses no consent, event or webhook and creates nothing twice', async () => {
    stack.startLoad(10);
    await sleep(3_000);

    await stack.fault({ upstream: 'altinn', status: 503, rate: 0.5, forSeconds: 5 });
    await sleep(7_000);

    await stack.fault({ upstream: 'maskinporten', status: 503, rate: 0.5, forSeconds: 5 });
    await stack.expireCachedTokens();
    await sleep(7_000);

    await stack.fault({ upstream: 'kms', status: 503, rate: 0.5, forSeconds: 5 });
    await stack.expireCachedTokens();
    await sleep(7_000);

    // All three at once, briefly.
    for (const upstream of ['altinn', 'maskinporten', 'kms'])
      await stack.fault({ upstream, status: 503, rate: 0.5, forSeconds: 4 });
    await stack.expireCachedTokens();
    await sleep(6_000);

    await stack.stopLoad();
    await stack.clearFaults();
    const report = await stack.verifyNothingLost();
    // The bursts really hit: more create calls than consents (each refused call counts).
    expect(report.altinnCreateCalls).toBeGreaterThan(report.consents);
  });
});
