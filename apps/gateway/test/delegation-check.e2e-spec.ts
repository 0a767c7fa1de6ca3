import { until } from '@test/resources';
import { ConsentStack, PROVIDER_ORG, READ, TENANT_A, TENANT_B, WRITE } from './consent-stack';

interface Scope {
  scope: string;
  verifiedAt: string | null;
  lastError: { code: string; message: string; checkedAt: string } | null;
}

describe('delegation check (gateway → queue → worker → Maskinporten simulator)', () => {
  const stack = new ConsentStack();

  beforeAll(async () => {
    await stack.startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  /** Polls the tenant until every scope has a verdict (the worker runs in the background). */
  async function checkedScopes(tenantId: string, since?: string): Promise<Scope[]> {
    const verdict = (scope: Scope) => scope.verifiedAt ?? scope.lastError?.checkedAt;
    const checked = (scope: Scope) =>
      verdict(scope) !== undefined && (since === undefined || verdict(scope)! > since);
    return until(
      `every scope of ${tenantId} checked`,
      async () => (await stack.request('GET', `/admin/v1/tenants/${tenantId}`)).body.scopes as Scope[],
      { done: (scopes) => scopes.every(checked), timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  async function events(tenantId: string): Promise<{ type: string; data: any }[]> {
    return stack.database.dataSource.query('SELECT type, data FROM events WHERE tenant_id = $1 ORDER BY id', [
      tenantId,
    ]);
  }

  it('verifies every scope the seeded tenant delegated, on onboarding', async () => {
    const created = await stack.request('POST', '/admin/v1/tenants', {
      body: { orgNumber: TENANT_A, name: 'Sparebank Super', scopes: [WRITE, READ] },
    });
    expect(created.status).toBe(201);
    const scopes = await checkedScopes(created.body.id);
    expect(scopes).toEqual([
      { scope: READ, verifiedAt: expect.any(String), lastError: null },
      { scope: WRITE, verifiedAt: expect.any(String), lastError: null },
    ]);
    expect(await events(created.body.id)).toEqual([
      { type: 'delegation.verified', data: { scope: READ } },
      { type: 'delegation.verified', data: { scope: WRITE } },
    ]);
  });

  it('records MP-251 for a tenant that delegated nothing, and verifies after it delegates', async () => {
    const created = await stack.request('POST', '/admin/v1/tenants', {
      body: { orgNumber: TENANT_B, name: 'Brønnøysundregistrene', scopes: [WRITE] },
    });
    const [failed] = await checkedScopes(created.body.id);
    expect(failed).toEqual({
      scope: WRITE,
      verifiedAt: null,
      lastError: {
        code: 'MP-251',
        message: expect.stringContaining(TENANT_B),
        checkedAt: expect.any(String),
      },
    });
    expect(await events(created.body.id)).toEqual([
      {
        type: 'delegation.failed',
        data: { scope: WRITE, error: expect.objectContaining({ code: 'MP-251' }) },
      },
    ]);

    await stack.sim.control('POST', '/_sim/delegations', {
      consumerOrg: TENANT_B,
      supplierOrg: PROVIDER_ORG,
      scopes: [WRITE],
    });
    const requested = await stack.request('POST', `/admin/v1/tenants/${created.body.id}/delegation-check`);
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ tenantId: created.body.id, jobId: expect.any(String) });
    const [verified] = await checkedScopes(created.body.id, failed.lastError!.checkedAt);
    expect(verified).toMatchObject({ scope: WRITE, verifiedAt: expect.any(String), lastError: null });

    const audit = await stack.request('GET', `/admin/v1/audit-log?tenantId=${created.body.id}`);
    expect(audit.body.data[0]).toMatchObject({
      action: 'delegation_check.requested',
      tenantId: created.body.id,
    });
  });

  it('checks a scope added by PATCH', async () => {
    const created = await stack.request('POST', '/admin/v1/tenants', {
      body: { orgNumber: '991825827', name: 'Digdir' },
    });
    expect(created.body.scopes).toEqual([]);
    await stack.request('PATCH', `/admin/v1/tenants/${created.body.id}`, { body: { scopes: [READ] } });
    const [scope] = await checkedScopes(created.body.id);
    expect(scope).toMatchObject({ scope: READ, verifiedAt: null, lastError: { code: 'MP-251' } });
  });

  it('refuses a delegation check for an offboarded tenant', async () => {
    const created = await stack.request('POST', '/admin/v1/tenants', {
      body: { orgNumber: '123456785', name: 'Gone' },
    });
    await stack.request('DELETE', `/admin/v1/tenants/${created.body.id}`);
    const answer = await stack.request('POST', `/admin/v1/tenants/${created.body.id}/delegation-check`);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('tenants.offboarded');
  });

  it('serves the client’s public keys that the worker published, without the gateway calling KMS', async () => {
    const answer = await until('the JWKS published', () => stack.request('GET', '/admin/v1/signing/jwks'), {
      done: (jwks) => jwks.status !== 503,
      timeoutMs: 10_000,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.keys).toEqual([
      expect.objectContaining({
        kty: 'RSA',
        use: 'sig',
        alg: 'RS256',
        kid: expect.any(String),
        n: expect.any(String),
      }),
    ]);
    expect(answer.body.keys[0]).not.toHaveProperty('d');
  });
});
