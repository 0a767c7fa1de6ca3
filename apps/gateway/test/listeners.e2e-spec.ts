import { request as httpRequest } from 'node:http';
import { READ, TENANT_A, WRITE } from '@test/seed';
import { ADMIN_KEY, GatewayTestKit } from './gateway-test-kit';

interface OpenApiDocument {
  info: { title: string };
  paths: Record<string, unknown>;
  components: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** A request with the path sent exactly as written (fetch would normalise it). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the public and the management listener', () => {
  const kit = new GatewayTestKit();
  let key: string;

  beforeAll(async () => {
    await kit.start();
    ({ key } = await kit.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });
  afterAll(async () => {
    await kit.close();
  });

  it('listens on two ports', () => {
    expect(new URL(kit.adminUrl).port).not.toBe(new URL(kit.url).port);
  });

  describe('public', () => {
    it.each([
      ['GET /v1/tenant', '/v1/tenant'],
      ['the liveness probe', '/health/live'],
      ['the readiness probe', '/health/ready'],
      ['Swagger UI', '/docs'],
      ['the tenant API document', '/docs-json'],
    ])('serves %s', async (_what, path) => {
      expect((await kit.request('GET', path, { key, on: 'public' })).status).toBe(200);
    });

    it.each([
      ['the admin API', '/admin/v1/tenants', ADMIN_KEY],
      ['the admin API (JWKS)', '/admin/v1/signing/jwks', ADMIN_KEY],
      ['bull-board', '/admin/queues', ADMIN_KEY],
      ["bull-board's API", '/admin/queues/api/queues', ADMIN_KEY],
      ['the admin docs', '/admin/docs', null],
      ['the admin API document', '/admin/docs-json', null],
      ['the metrics', '/metrics', null],
    ])(
      'knows nothing of %s: the 404 of an unknown route, before any authentication',
      async (_what, path, admin) => {
        const answer = await kit.request('GET', path, { key: admin, on: 'public' });
        const unknown = await kit.request('GET', '/nothing-here', { key: admin, on: 'public' });
        expect([answer.status, answer.contentType]).toEqual([404, 'application/problem+json; charset=utf-8']);
        expect(answer.headers.get('www-authenticate')).toBeNull();
        expect({ ...answer.body, detail: undefined, instance: undefined }).toEqual({
          ...unknown.body,
          detail: undefined,
          instance: undefined,
        });
        expect(answer.body.detail).toBe(`Cannot GET ${path}`);
      },
    );

    it('refuses the admin API however the path is written', async () => {
      for (const path of [
        '/%61dmin/v1/tenants',
        '/admin/v1/tenants/',
        '/admin/v1/tenants?x=1',
        '/ADMIN/v1/tenants',
      ]) {
        expect([path, await rawGet(kit.url, path, { authorization: `Bearer ${ADMIN_KEY}` })]).toEqual([
          path,
          404,
        ]);
      }
    });

    it('does not change anything through an admin route', async () => {
      const answer = await kit.request('POST', '/admin/v1/tenants', {
        on: 'public',
        body: { orgNumber: '974760673', name: 'Sparebank Other', scopes: [] },
      });
      expect(answer.status).toBe(404);
      const tenants = await kit.request('GET', '/admin/v1/tenants', { on: 'management' });
      expect(tenants.body.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual([TENANT_A]);
    });

    it('documents the tenant API only', async () => {
      const document = (await kit.request<OpenApiDocument>('GET', '/docs-json', { key: null, on: 'public' }))
        .body;
      const paths = Object.keys(document.paths);
      expect(paths).toEqual(expect.arrayContaining(['/v1/consent-requests', '/v1/tenant', '/health/ready']));
      expect(paths.filter((path) => !path.startsWith('/v1/') && !path.startsWith('/health/'))).toEqual([]);
      expect(Object.keys(document.components.securitySchemes ?? {})).toEqual(['tenant-key']);
      expect(JSON.stringify(document)).not.toMatch(/admin/i);
      const page = await kit.request<string>('GET', '/docs', { key: null, on: 'public' });
      expect(page.body).toContain('<script src="/docs/swagger-initializer.js">');
    });
  });

  describe('management', () => {
    it.each([
      ['the admin API', '/admin/v1/tenants'],
      ['bull-board', '/admin/queues'],
      ["bull-board's API", '/admin/queues/api/queues'],
      ['the admin docs', '/admin/docs'],
      ['the admin API document', '/admin/docs-json'],
      ['the metrics', '/metrics'],
      ['the liveness probe', '/health/live'],
      ['the readiness probe', '/health/ready'],
    ])('serves %s', async (_what, path) => {
      expect((await kit.request('GET', path, { on: 'management' })).status).toBe(200);
    });

    it.each([
      ['the tenant API', '/v1/tenant'],
      ['the tenant API (consents)', '/v1/consent-requests'],
      ['the tenant docs', '/docs'],
      ['the tenant API document', '/docs-json'],
    ])('knows nothing of %s', async (_what, path) => {
      const answer = await kit.request('GET', path, { key, on: 'management' });
      expect([answer.status, answer.body.detail]).toEqual([404, `Cannot GET ${path}`]);
    });

    it('documents the admin API only, with its own Swagger UI', async () => {
      const document = (await kit.request<OpenApiDocument>('GET', '/admin/docs-json', { key: null })).body;
      const paths = Object.keys(document.paths);
      expect(paths).toEqual(expect.arrayContaining(['/admin/v1/tenants', '/admin/v1/audit-log']));
      expect(paths.filter((path) => !path.startsWith('/admin/') && !path.startsWith('/health/'))).toEqual([]);
      expect(Object.keys(document.components.securitySchemes ?? {})).toEqual(['admin-key']);
      const page = await kit.request<string>('GET', '/admin/docs', { key: null });
      expect(page.body).toContain('<script src="/admin/docs/swagger-initializer.js">');
      const initializer = await kit.request<string>('GET', '/admin/docs/swagger-initializer.js', {
        key: null,
      });
      expect(initializer.body).toContain("url: '/admin/docs-json'");
      const css = await kit.request<string>('GET', '/admin/docs/swagger-ui.css', { key: null });
      expect([css.status, css.contentType]).toEqual([200, 'text/css; charset=utf-8']);
    });
  });

  it('closes both listeners when the gateway closes', async () => {
    const other = await new GatewayTestKit().start();
    const { url, adminUrl } = other;
    expect((await fetch(`${adminUrl}/health/live`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    await expect(fetch(`${adminUrl}/health/live`)).rejects.toThrow();
  });
});
