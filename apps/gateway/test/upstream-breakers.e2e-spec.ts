import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { GatewayTestKit, REDIS_URL } from './gateway-test-kit';

// The workers' breakers live in Redis; the gateway shows them to the operator: the admin API, the
// readiness details and /metrics. A breaker of the same prefix stands in for a worker here.
describe('the upstreams’ circuit breakers, as the operator sees them', () => {
  const kit = new GatewayTestKit();
  let redis: Redis;
  let worker: CircuitBreakers;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await kit.start();
    redis = new Redis(REDIS_URL);
    worker = new CircuitBreakers(redis, { prefix: kit.queuePrefix });
  });
  afterAll(async () => {
    redis?.disconnect();
    await kit.close();
    jest.restoreAllMocks();
  });

  const altinn = async () => {
    const answer = await kit.request<{ data: { upstream: string; state: string }[] }>(
      'GET',
      '/admin/v1/system/upstreams',
    );
    expect(answer.status).toBe(200);
    return answer.body.data.find((status) => status.upstream === 'altinn')!;
  };

  it('shows every breaker closed while the upstreams answer', async () => {
    const answer = await kit.request('GET', '/admin/v1/system/upstreams');
    expect(answer.body.data).toEqual([
      expect.objectContaining({ upstream: 'maskinporten', state: 'closed', failures: 0, since: null }),
      expect.objectContaining({ upstream: 'altinn', state: 'closed', failures: 0, since: null }),
    ]);
  });

  it('shows Altinn’s breaker open once a worker saw it fail repeatedly, in all three places', async () => {
    for (let i = 0; i < 10; i += 1) worker.recordCall('altinn', 503);
    const deadline = Date.now() + 10_000;
    while ((await altinn()).state !== 'open' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await altinn()).toMatchObject({
      state: 'open',
      failureThreshold: 10,
      probeAt: expect.any(String),
    });

    const ready = await kit.request('GET', '/health/ready', { key: null });
    expect(ready.status).toBe(200); // an upstream outage does not take the gateway out of service
    expect(ready.body.details.upstreams).toContainEqual(
      expect.objectContaining({ upstream: 'altinn', state: 'open' }),
    );

    const metrics = await kit.request<string>('GET', '/metrics');
    expect(metrics.body).toMatch(/sgw_upstream_circuit_state\{[^}]*upstream="altinn"[^}]*\} 2/);
    expect(metrics.body).toMatch(/sgw_upstream_circuit_state\{[^}]*upstream="maskinporten"[^}]*\} 0/);
  });

  it('refuses a caller without the admin key', async () => {
    expect((await kit.request('GET', '/admin/v1/system/upstreams', { key: null })).status).toBe(401);
  });
});
