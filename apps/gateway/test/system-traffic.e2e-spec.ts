import { until } from '@test/resources';
import { ConsentStack, createBody, READ, TENANT_A, WRITE } from './consent-stack';

// The worker calls Maskinporten and Altinn for a consent; the gateway's admin API shows those calls and
// the token cache's results, counted by every process and added up in Redis.
describe('recent upstream traffic, as the operator sees it', () => {
  const stack = new ConsentStack();
  let key: string;

  beforeAll(async () => {
    await stack.startStack();
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });
  afterAll(() => stack.close());

  it('shows the calls a consent made and the token cache’s results, per upstream and scope', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);

    const traffic = await until(
      'the consent’s calls counted',
      async () => (await stack.request('GET', '/admin/v1/system/traffic?minutes=5')).body,
      {
        done: (body) =>
          body.upstreams?.some((row: { upstream: string }) => row.upstream === 'altinn') &&
          body.tokenCache?.some((row: { scope: string }) => row.scope.includes(WRITE)),
        timeoutMs: 20_000,
        intervalMs: 250,
      },
    );
    expect(traffic.minutes).toBe(5);
    expect(traffic.upstreams).toContainEqual(
      expect.objectContaining({ upstream: 'altinn', errors: 0, errorRate: 0 }),
    );
    const altinn = traffic.upstreams.find((row: { upstream: string }) => row.upstream === 'altinn');
    expect(altinn.calls).toBeGreaterThanOrEqual(1);
    const write = traffic.tokenCache.find((row: { scope: string }) => row.scope.includes(WRITE));
    expect(write.cache + write.fetched + write.waited).toBeGreaterThanOrEqual(1);
    expect(write.fetched).toBeGreaterThanOrEqual(1);
  });

  it('refuses a look back it does not keep, naming the parameter', async () => {
    const answer = await stack.request('GET', '/admin/v1/system/traffic?minutes=600');
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ parameter: 'minutes' })]);
  });
});
