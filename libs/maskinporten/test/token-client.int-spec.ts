import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  buildGrantClaims,
  MaskinportenError,
  MaskinportenTokenClient,
  type TokenClientOptions,
  type TokenRequest,
} from '@gw/maskinporten';
import { KmsJwtSigner } from '@gw/signing';
import { startTestSimulator, type TestSimulator } from '@test/simulator';

const PROVIDER_ORG = '310149942';
const TENANT_ORG = '313876144';
/** A valid org number that has delegated nothing to the provider. */
const STRANGER_ORG = '974760673';
const WRITE = 'altinn:consentrequests.write';

interface SimStats {
  maskinporten: { token: number };
}

describe('MaskinportenTokenClient against the simulated Maskinporten', () => {
  let sim: TestSimulator;
  let signer: KmsJwtSigner;

  const tokenCalls = async () => (await sim.control<SimStats>('GET', '/_sim/stats')).maskinporten.token;
  const client = (options: Partial<TokenClientOptions> = {}) =>
    new MaskinportenTokenClient({
      tokenEndpoint: `${sim.issuer}token`,
      backoff: { baseMs: 20, maxMs: 100 },
      ...options,
    });
  const grant = (request: TokenRequest) => async () => {
    const result = buildGrantClaims(
      request,
      { issuer: sim.issuer, clientId: 'sgw-local-client', providerOrg: PROVIDER_ORG },
      new Date(),
      randomUUID(),
    );
    if (!result.ok) throw new Error(result.detail);
    return signer.sign({ typ: 'JWT' }, { ...result.claims });
  };

  beforeAll(async () => {
    sim = await startTestSimulator();
    signer = new KmsJwtSigner({
      region: 'eu-north-1',
      endpoint: sim.baseUrl,
      credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
      activeKeyId: 'alias/sgw-maskinporten',
    });
  });

  afterEach(() => sim.control('DELETE', '/_sim/faults'));

  afterAll(async () => {
    signer.onModuleDestroy();
    await sim.close();
  });

  it('gets a token acting for a tenant that delegated the scope', async () => {
    const response = await client().requestToken(grant({ scopes: [WRITE], consumerOrg: TENANT_ORG }));
    expect(response).toMatchObject({ tokenType: 'Bearer', attempts: 1 });
    expect(response.expiresIn).toBeGreaterThan(0);
    const claims = decodeJwt(response.accessToken);
    expect(claims.consumer).toEqual({ authority: 'iso6523-actorid-upis', ID: `0192:${TENANT_ORG}` });
    expect(claims.supplier).toEqual({ authority: 'iso6523-actorid-upis', ID: `0192:${PROVIDER_ORG}` });
    expect(claims.scope).toBe(WRITE);
  });

  it('reports MP-251 as maskinporten.not_delegated for a consumer without delegation', async () => {
    const error = await client()
      .requestToken(grant({ scopes: [WRITE], consumerOrg: STRANGER_ORG }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaskinportenError);
    expect(error).toMatchObject({
      code: 'maskinporten.not_delegated',
      mpCode: 'MP-251',
      status: 400,
      attempts: 1,
      description: expect.stringContaining(STRANGER_ORG),
    });
  });

  it('reports MP-200 as maskinporten.scope_not_on_client for a scope the client lacks', async () => {
    await expect(
      client().requestToken(grant({ scopes: ['digdir:not-on-this-client'] })),
    ).rejects.toMatchObject({
      code: 'maskinporten.scope_not_on_client',
      mpCode: 'MP-200',
      upstreamError: 'invalid_scope',
      attempts: 1,
    });
  });

  it('retries a 503 outage and gets the token once it lifts', async () => {
    await sim.control('PUT', '/_sim/faults', { upstream: 'maskinporten', status: 503, forSeconds: 0.3 });
    const before = await tokenCalls();
    const response = await client({ maxAttempts: 10, backoff: { baseMs: 100, maxMs: 200 } }).requestToken(
      grant({ scopes: [WRITE], consumerOrg: TENANT_ORG }),
    );
    expect(response.attempts).toBeGreaterThan(1);
    expect((await tokenCalls()) - before).toBe(response.attempts);
  });

  it('gives up on persistent 5xx with maskinporten.unavailable after maxAttempts', async () => {
    await sim.control('PUT', '/_sim/faults', { upstream: 'maskinporten', status: 500 });
    const before = await tokenCalls();
    await expect(
      client({ maxAttempts: 3 }).requestToken(grant({ scopes: [WRITE], consumerOrg: TENANT_ORG })),
    ).rejects.toMatchObject({
      code: 'maskinporten.unavailable',
      status: 500,
      upstreamError: 'server_error',
      attempts: 3,
    });
    expect((await tokenCalls()) - before).toBe(3);
  });

  it('cuts a stall longer than the timeout, retries, and reports maskinporten.unavailable', async () => {
    await sim.control('PUT', '/_sim/faults', { upstream: 'maskinporten', latencyMs: 2000 });
    const before = await tokenCalls();
    const error = await client({ maxAttempts: 2, timeoutMs: 200 })
      .requestToken(grant({ scopes: [WRITE], consumerOrg: TENANT_ORG }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'maskinporten.unavailable', attempts: 2 });
    expect((error as MaskinportenError).message).toContain('200 ms');
    expect((await tokenCalls()) - before).toBe(2);
  });

  it('succeeds through a short stall with a timeout longer than it', async () => {
    await sim.control('PUT', '/_sim/faults', { upstream: 'maskinporten', latencyMs: 100 });
    await expect(
      client({ timeoutMs: 5000 }).requestToken(grant({ scopes: [WRITE], consumerOrg: TENANT_ORG })),
    ).resolves.toMatchObject({ attempts: 1 });
  });
});
