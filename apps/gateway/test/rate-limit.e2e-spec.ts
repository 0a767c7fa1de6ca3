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

  it('announces the policy and what is left of it on every answer, the 429 included', async () => {
    const { key } = await kit.onboard('910825518', 'Nordbank');
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await kit.request('GET', '/v1/tenant', { key }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    // 3 requests, refilled at 0.2 a second: the whole quota is back 15 s after it was spent.
    for (const answer of answers) {
      expect(answer.headers.get('ratelimit-policy')).toBe('"tenant";q=3;w=15');
    }
    const fields = answers.map((answer) =>
      /^"tenant";r=(\d+);t=(\d+)$/.exec(answer.headers.get('ratelimit') ?? ''),
    );
    expect(fields.map((field) => field?.[1])).toEqual(['2', '1', '0', '0']);
    for (const field of fields) expect(Number(field?.[2])).toBeGreaterThanOrEqual(1);
    expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('sends no RateLimit fields to a caller it has not authenticated', async () => {
    const refused = await kit.request('GET', '/v1/tenant', { key: 'sgw_test_nope' });
    expect(refused.headers.get('ratelimit')).toBeNull();
  });

  it('does not let an unknown key spend a tenant budget', async () => {
    const refused = await kit.request('GET', '/v1/tenant', { key: 'sgw_test_nope' });
    expect(refused.status).toBe(401);
  });
});
