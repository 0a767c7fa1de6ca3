import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { until } from '@test/resources';

describe('simulator control API', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  it('reports its issuer as the base URL with a trailing slash', async () => {
    const info = await sim.control<{ maskinportenIssuer: string; baseUrl: string }>('GET', '/_sim/info');
    expect(info.maskinportenIssuer).toBe(`${sim.baseUrl}/`);
  });

  it('seeds the provider client with its key in the simulated KMS', async () => {
    const client = await sim.control<{ orgNumber: string; kmsKeyId: string; scopes: string[] }>(
      'GET',
      '/_sim/clients/sgw-local-client',
    );
    expect(client.orgNumber).toBe('310149942');
    expect(client.kmsKeyId).toEqual(expect.any(String));
    expect(client.scopes).toEqual(['altinn:consentrequests.write', 'altinn:consentrequests.read']);
  });

  it('refuses a client without keys and names the field', async () => {
    const response = await fetch(`${sim.baseUrl}/_sim/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'x', orgNumber: '313876144', scopes: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'jwks' }] });
  });

  it('refuses a client whose KMS key cannot sign (a data key has no public half)', async () => {
    const response = await fetch(`${sim.baseUrl}/_sim/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'x',
        orgNumber: '313876144',
        scopes: [],
        kmsKeyId: 'alias/sgw-personal-data',
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      issues: [{ path: 'kmsKeyId', message: 'not a signing key' }],
    });
  });

  it('shifts the clock', async () => {
    const before = Date.now();
    const clock = await sim.control<{ now: string }>('PUT', '/_sim/clock', { offsetSeconds: 3600 });
    expect(new Date(clock.now).getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    await sim.control('PUT', '/_sim/clock', { offsetSeconds: 0 });
  });

  it('counts upstream calls, refused and faulted ones included, and resets', async () => {
    await sim.control('DELETE', '/_sim/stats');
    await sim.control('PUT', '/_sim/faults', { upstream: 'maskinporten', status: 503 });
    const response = await fetch(`${sim.baseUrl}/token`, { method: 'POST' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'server_error' });
    await sim.control('DELETE', '/_sim/faults');
    const stats = await sim.control<{ maskinporten: { token: number } }>('GET', '/_sim/stats');
    expect(stats.maskinporten.token).toBe(1);
  });

  it('lifts an outage window by itself', async () => {
    await sim.control('PUT', '/_sim/faults', { upstream: 'altinn', status: 503, forSeconds: 0.2 });
    const during = await fetch(`${sim.baseUrl}/accessmanagement/api/v1/enterprise/consentrequests/x`);
    expect(during.status).toBe(503);
    await until('the outage window over', () => sim.control<{ faults: unknown[] }>('GET', '/_sim/faults'), {
      done: (listing) => listing.faults.length === 0,
      timeoutMs: 5_000,
    });
  });

  it('refuses a person action on an unknown consent', async () => {
    const response = await fetch(`${sim.baseUrl}/_sim/consents/0195f0e4-0000-7000-8000-000000000000/accept`, {
      method: 'POST',
    });
    expect(response.status).toBe(404);
  });
});
