import { GatewayTestKit, SECOND_ADMIN_KEY } from './gateway-test-kit';

const TENANT_A = '313876144';
const TENANT_B = '974760673';
const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';

describe('admin API', () => {
  const kit = new GatewayTestKit();

  beforeAll(async () => {
    await kit.start();
  });
  afterAll(async () => {
    await kit.close();
  });

  describe('onboarding', () => {
    let tenantId: string;

    it('creates a tenant with its delegated scopes, not yet checked', async () => {
      const created = await kit.request('POST', '/admin/v1/tenants', {
        body: { orgNumber: TENANT_A, name: '  Sparebank Super ', scopes: [WRITE, READ, WRITE] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        orgNumber: TENANT_A,
        name: 'Sparebank Super',
        status: 'active',
        scopes: [
          { scope: READ, verifiedAt: null, lastError: null },
          { scope: WRITE, verifiedAt: null, lastError: null },
        ],
      });
      tenantId = created.body.id;
      expect(tenantId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    });

    it('reads the tenant back and lists it', async () => {
      const read = await kit.request('GET', `/admin/v1/tenants/${tenantId}`);
      expect(read.status).toBe(200);
      expect(read.body.orgNumber).toBe(TENANT_A);
      const list = await kit.request('GET', '/admin/v1/tenants');
      expect(list.status).toBe(200);
      expect(list.body.data.map((tenant: { id: string }) => tenant.id)).toContain(tenantId);
    });

    it('refuses a second tenant with the same org number with 409', async () => {
      const duplicate = await kit.request('POST', '/admin/v1/tenants', {
        body: { orgNumber: TENANT_A, name: 'Again' },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.contentType).toContain('application/problem+json');
      expect(duplicate.body).toMatchObject({
        status: 409,
        code: 'tenants.duplicate_org_number',
        orgNumber: TENANT_A,
      });
    });

    it('renames, replaces scopes and records each admin action in the audit log', async () => {
      const patched = await kit.request('PATCH', `/admin/v1/tenants/${tenantId}`, {
        body: { name: 'Sparebank Super ASA', scopes: [READ] },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Sparebank Super ASA', scopes: [{ scope: READ }] });

      const audit = await kit.request('GET', `/admin/v1/audit-log?tenantId=${tenantId}`);
      expect(audit.status).toBe(200);
      const actions = audit.body.data.map((record: { action: string }) => record.action);
      expect(actions).toEqual(
        expect.arrayContaining(['tenant.created', 'tenant.renamed', 'tenant.scopes_changed']),
      );
      const created = audit.body.data.find(
        (record: { action: string }) => record.action === 'tenant.created',
      );
      expect(created).toMatchObject({
        tenantId,
        target: `tenant:${tenantId}`,
        actor: expect.stringMatching(/^admin:[0-9a-f]{12}$/),
      });
      expect(created.requestId).toEqual(expect.any(String));
    });

    it('names the admin key that acted, by fingerprint, and keeps the request id', async () => {
      const created = await kit.request('POST', '/admin/v1/tenants', {
        key: SECOND_ADMIN_KEY,
        body: { orgNumber: '991825827', name: 'Digdir' },
        headers: { 'x-request-id': 'req-audit-0001' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-request-id')).toBe('req-audit-0001');
      const audit = await kit.request('GET', `/admin/v1/audit-log?tenantId=${created.body.id}`);
      expect(audit.body.data).toEqual([
        expect.objectContaining({ action: 'tenant.created', requestId: 'req-audit-0001' }),
      ]);
      const earlier = await kit.request('GET', `/admin/v1/audit-log?tenantId=${tenantId}`);
      expect(audit.body.data[0].actor).not.toBe(earlier.body.data[0].actor);
    });

    it('pages through tenants with an opaque cursor', async () => {
      const first = await kit.request('GET', '/admin/v1/tenants?limit=1');
      expect(first.body.data).toHaveLength(1);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await kit.request('GET', `/admin/v1/tenants?limit=1&cursor=${first.body.next}`);
      expect(second.body.data).toHaveLength(1);
      expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
      const bad = await kit.request('GET', '/admin/v1/tenants?cursor=not-a-cursor');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('http.invalid_cursor');
    });
  });

  describe('bad input', () => {
    it('answers 422 naming every bad field by JSON pointer', async () => {
      const answer = await kit.request('POST', '/admin/v1/tenants', {
        body: { orgNumber: '313876145', name: '', scopes: ['not a scope'], extra: true },
      });
      expect(answer.status).toBe(422);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type: expect.any(String), title: 'Invalid request', status: 422 });
      const pointers = answer.body.errors.map((error: { pointer: string }) => error.pointer).sort();
      expect(pointers).toEqual(['/extra', '/name', '/orgNumber', '/scopes/0']);
      expect(answer.body.errors).toContainEqual({
        pointer: '/orgNumber',
        detail: 'fails the MOD11 check of a Norwegian organisation number',
      });
    });

    it('names a missing field as required', async () => {
      const answer = await kit.request('POST', '/admin/v1/tenants', { body: { name: 'No org' } });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([{ pointer: '/orgNumber', detail: 'is required' }]);
    });

    it('answers 400 problem+json for a body that is not JSON', async () => {
      const answer = await kit.request('POST', '/admin/v1/tenants', { rawBody: '{"orgNumber": ' });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 400, code: 'http.malformed_body' });
    });

    it('answers 422 for a tenant id that is not a UUID, naming the parameter', async () => {
      const answer = await kit.request('GET', '/admin/v1/tenants/42');
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([expect.objectContaining({ parameter: 'id' })]);
    });

    it('answers 404 problem+json for an unknown tenant and an unknown route', async () => {
      const tenant = await kit.request('GET', '/admin/v1/tenants/0190c8a2-0000-7000-8000-000000000000');
      expect(tenant.status).toBe(404);
      expect(tenant.body.code).toBe('tenants.not_found');
      const route = await kit.request('GET', '/admin/v1/nothing-here');
      expect(route.status).toBe(404);
      expect(route.contentType).toContain('application/problem+json');
    });

    it('refuses an empty patch', async () => {
      const created = await kit.request('POST', '/admin/v1/tenants', {
        body: { orgNumber: '123456785', name: 'Patch me' },
      });
      const answer = await kit.request('PATCH', `/admin/v1/tenants/${created.body.id}`, { body: {} });
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0]).toMatchObject({ pointer: '' });
    });
  });

  describe('API keys', () => {
    let tenantId: string;

    beforeAll(async () => {
      const created = await kit.request('POST', '/admin/v1/tenants', {
        body: { orgNumber: TENANT_B, name: 'Brreg', scopes: [WRITE] },
      });
      tenantId = created.body.id;
    });

    it('shows a new key once and then only its prefix', async () => {
      const issued = await kit.request('POST', `/admin/v1/tenants/${tenantId}/api-keys`, {
        body: { name: 'core banking' },
      });
      expect(issued.status).toBe(201);
      expect(issued.body.key).toMatch(/^sgw_test_[0-9A-Za-z]{51}$/);
      expect(issued.body.key.startsWith(issued.body.prefix)).toBe(true);
      const listed = await kit.request('GET', `/admin/v1/tenants/${tenantId}/api-keys`);
      expect(listed.status).toBe(200);
      expect(listed.body.data).toEqual([
        expect.objectContaining({
          id: issued.body.id,
          prefix: issued.body.prefix,
          name: 'core banking',
          revokedAt: null,
        }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
      const stored = await kit.database.dataSource.query('SELECT hash FROM api_keys WHERE id = $1', [
        issued.body.id,
      ]);
      expect(stored[0].hash).toHaveLength(32);
      expect(stored[0].hash.toString('utf8')).not.toContain(issued.body.key.slice(-20));
    });

    it('rotates: two live keys work, revoking one leaves the other working', async () => {
      const first = await kit.request('POST', `/admin/v1/tenants/${tenantId}/api-keys`, {
        body: { name: 'old' },
      });
      const second = await kit.request('POST', `/admin/v1/tenants/${tenantId}/api-keys`, {
        body: { name: 'new' },
      });
      for (const key of [first.body.key, second.body.key]) {
        const me = await kit.request('GET', '/v1/tenant', { key });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ tenantId, orgNumber: TENANT_B });
      }
      const revoked = await kit.request('DELETE', `/admin/v1/tenants/${tenantId}/api-keys/${first.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));

      const old = await kit.request('GET', '/v1/tenant', { key: first.body.key });
      expect(old.status).toBe(401);
      expect(old.body.code).toBe('auth.invalid_credentials');
      expect((await kit.request('GET', '/v1/tenant', { key: second.body.key })).status).toBe(200);

      const keys = await kit.request('GET', `/admin/v1/tenants/${tenantId}/api-keys`);
      const byId = new Map(keys.body.data.map((key: { id: string }) => [key.id, key]));
      expect(byId.get(second.body.id)).toMatchObject({ revokedAt: null, lastUsedAt: expect.any(String) });
      const audit = await kit.request('GET', `/admin/v1/audit-log?tenantId=${tenantId}`);
      expect(audit.body.data.map((record: { action: string }) => record.action)).toEqual(
        expect.arrayContaining(['api_key.issued', 'api_key.revoked']),
      );
      expect(JSON.stringify(audit.body)).not.toContain(second.body.key);
    });

    it('answers 404 when revoking a key through another tenant', async () => {
      const other = await kit.onboard('310149942', 'Another');
      const own = await kit.request('POST', `/admin/v1/tenants/${tenantId}/api-keys`, { body: {} });
      const answer = await kit.request(
        'DELETE',
        `/admin/v1/tenants/${other.tenantId}/api-keys/${own.body.id}`,
      );
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('auth.api_key_not_found');
      expect((await kit.request('GET', '/v1/tenant', { key: own.body.key })).status).toBe(200);
    });
  });

  describe('tenant status', () => {
    it('answers 403 to a suspended tenant’s key and lets it in again after resume', async () => {
      const { tenantId, key } = await kit.onboard('916781598', 'Suspend me');
      const suspended = await kit.request('PATCH', `/admin/v1/tenants/${tenantId}`, {
        body: { status: 'suspended' },
      });
      expect(suspended.body.status).toBe('suspended');
      const refused = await kit.request('GET', '/v1/tenant', { key });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.code).toBe('auth.tenant_suspended');

      await kit.request('PATCH', `/admin/v1/tenants/${tenantId}`, { body: { status: 'active' } });
      expect((await kit.request('GET', '/v1/tenant', { key })).status).toBe(200);
    });

    it('offboards: keys revoked (401), data kept, no further change', async () => {
      const { tenantId, key } = await kit.onboard('923609016', 'Offboard me');
      const offboarded = await kit.request('DELETE', `/admin/v1/tenants/${tenantId}`);
      expect(offboarded.status).toBe(200);
      expect(offboarded.body.status).toBe('offboarded');
      expect((await kit.request('GET', '/v1/tenant', { key })).status).toBe(401);
      const keys = await kit.request('GET', `/admin/v1/tenants/${tenantId}/api-keys`);
      expect(keys.body.data.every((apiKey: { revokedAt: string | null }) => apiKey.revokedAt !== null)).toBe(
        true,
      );
      expect((await kit.request('GET', `/admin/v1/tenants/${tenantId}`)).body.status).toBe('offboarded');
      const resume = await kit.request('PATCH', `/admin/v1/tenants/${tenantId}`, {
        body: { status: 'active' },
      });
      expect(resume.status).toBe(409);
      expect(resume.body.code).toBe('tenants.offboarded');
      const newKey = await kit.request('POST', `/admin/v1/tenants/${tenantId}/api-keys`, { body: {} });
      expect(newKey.status).toBe(409);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no key', null, 'auth.missing_credentials'],
      ['a wrong admin key', 'x'.repeat(40), 'auth.invalid_credentials'],
    ])('answers 401 problem+json to the admin API with %s', async (_name, key, code) => {
      const answer = await kit.request('GET', '/admin/v1/tenants', { key });
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.code).toBe(code);
    });

    it('refuses every admin call when no ADMIN_API_KEY is configured', async () => {
      const unconfigured = await new GatewayTestKit().start({ ADMIN_API_KEY: '' });
      try {
        const answer = await unconfigured.request('GET', '/admin/v1/tenants');
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('auth.admin_disabled');
      } finally {
        await unconfigured.close();
      }
    });

    it('refuses a tenant key on the admin API', async () => {
      const { key } = await kit.onboard('889640782', 'Not an admin');
      expect((await kit.request('GET', '/admin/v1/tenants', { key })).status).toBe(401);
    });

    it.each([
      ['no key', null, 'auth.missing_credentials'],
      ['a malformed key', 'sgw_test_short', 'auth.invalid_credentials'],
      ['an unknown well-formed key', `sgw_test_${'A'.repeat(51)}`, 'auth.invalid_credentials'],
      ['a key of another environment', `sgw_live_${'A'.repeat(51)}`, 'auth.invalid_credentials'],
    ])('answers 401 to /v1 with %s', async (_name, key, code) => {
      const answer = await kit.request('GET', '/v1/tenant', { key });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe(code);
    });

    it('refuses a key whose secret part is wrong even though its prefix exists', async () => {
      const { key } = await kit.onboard('971526920', 'Prefix owner');
      const forged = `${key.slice(0, 17)}${'A'.repeat(43)}`;
      expect((await kit.request('GET', '/v1/tenant', { key: forged })).status).toBe(401);
    });

    it('answers to each tenant key with its own tenant only', async () => {
      const a = await kit.onboard('982463718', 'Tenant A');
      const b = await kit.onboard('937340397', 'Tenant B');
      const asA = await kit.request('GET', '/v1/tenant', { key: a.key });
      const asB = await kit.request('GET', '/v1/tenant', { key: b.key });
      expect(asA.body).toMatchObject({ tenantId: a.tenantId, orgNumber: '982463718' });
      expect(asB.body).toMatchObject({ tenantId: b.tenantId, orgNumber: '937340397' });
      // A tenant key opens no admin route, so no other tenant's registry entry.
      expect((await kit.request('GET', `/admin/v1/tenants/${b.tenantId}`, { key: a.key })).status).toBe(401);
    });
  });
});
