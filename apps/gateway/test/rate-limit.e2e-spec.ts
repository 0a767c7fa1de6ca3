import { GatewayTestKit } from './gateway-test-kit';

// Per-tenant rate limits in Redis, 429 problem+json with Retry-After.
describe('tenant rate limits', () => {
  const kit = new GatewayTestKit();
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    await kit.start({ RATE_LIMIT_PER_SECOND: '0.2', RATE_LIMIT_BURST: '3' });
    ({ key: keyA } = await kit.onboard('313876144', 'Sparebank Super'));
    ({ key: keyB } = await kit.onboard('974760673', 'Sparebank Annen'));
  });
  afterAll(() => kit.close());

  it('answers 429 with Retry-After once a tenant has spent its burst, and leaves other tenants alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await kit.request('GET', '/v1/tenant', { key: keyA })).status);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await kit.request('GET', '/v1/tenant', { key: keyA });
    expect(limited.status).toBe(429);
    expect(limited.contentType).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limit.exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    expect((await kit.request('GET', '/v1/tenant', { key: keyB })).status).toBe(200);
  });

  it('does not let an unknown key spend a tenant budget', async () => {
    const refused = await kit.request('GET', '/v1/tenant', { key: 'sgw_test_nope' });
    expect(refused.status).toBe(401);
  });
});
