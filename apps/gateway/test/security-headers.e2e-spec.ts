import { createBody, READ, TENANT_A, WRITE } from '@test/seed';
import { ADMIN_KEY, GatewayTestKit, type HttpAnswer } from './gateway-test-kit';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

/** `<script>` elements of a page that run inline (a `src`-less script that is not a JSON data block). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc=/i.test(attributes) && !/type="application\/json"/i.test(attributes))
    .map(([element]) => element);
}

describe('security headers and body media types', () => {
  const kit = new GatewayTestKit();
  let key: string;

  beforeAll(async () => {
    await kit.start();
    ({ key } = await kit.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });
  afterAll(async () => {
    await kit.close();
  });

  /** Answers of every kind: tenant and admin API, errors, 404s, probes, metrics, docs and the queue board. */
  const answers = async (): Promise<[string, HttpAnswer][]> => [
    ['GET /v1/tenant', await kit.request('GET', '/v1/tenant', { key })],
    ['GET /v1/consent-requests (no key)', await kit.request('GET', '/v1/consent-requests', { key: null })],
    ['GET /v1/nothing-here', await kit.request('GET', '/v1/nothing-here', { key })],
    ['GET /admin/v1/tenants', await kit.request('GET', '/admin/v1/tenants')],
    ['GET /admin/v1/tenants (no key)', await kit.request('GET', '/admin/v1/tenants', { key: null })],
    ['GET /nothing-here', await kit.request('GET', '/nothing-here', { key: null })],
    ['GET /health/live', await kit.request('GET', '/health/live', { key: null })],
    ['GET /metrics', await kit.request('GET', '/metrics', { key: null })],
    ['GET /docs', await kit.request('GET', '/docs', { key: null })],
    ['GET /docs-json', await kit.request('GET', '/docs-json', { key: null })],
    ['GET /docs/swagger-ui-bundle.js', await kit.request('GET', '/docs/swagger-ui-bundle.js', { key: null })],
    ['GET /admin/queues', await kit.request('GET', '/admin/queues')],
    ['GET /admin/queues (no key)', await kit.request('GET', '/admin/queues', { key: null })],
    ['GET /admin/queues/api/queues', await kit.request('GET', '/admin/queues/api/queues')],
  ];

  it('sends X-Content-Type-Options: nosniff on every answer, errors and 404s included', async () => {
    const all = await answers();
    expect(new Set(all.map(([, answer]) => answer.status))).toEqual(new Set([200, 401, 404]));
    expect(all.map(([what, answer]) => [what, answer.headers.get('x-content-type-options')])).toEqual(
      all.map(([what]) => [what, 'nosniff']),
    );
  });

  it('sends Cache-Control: no-store on every /v1 and /admin/v1 answer', async () => {
    const api = (await answers()).filter(([what]) => /^\w+ \/(admin\/)?v1\//.test(what));
    expect(api.length).toBe(5);
    expect(api.map(([what, answer]) => [what, answer.headers.get('cache-control')])).toEqual(
      api.map(([what]) => [what, 'no-store']),
    );
    const refused = await kit.request('POST', '/v1/consent-requests', { key, body: { person: 'x' } });
    expect([refused.status, refused.headers.get('cache-control')]).toEqual([422, 'no-store']);
  });

  it.each([
    ['/docs', ADMIN_KEY],
    ['/admin/queues', ADMIN_KEY],
  ])('serves %s under a strict Content-Security-Policy it can render under', async (path, admin) => {
    const page = await kit.request<string>('GET', path, { key: admin });
    expect([page.status, page.contentType]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    const policy = directives(page.headers.get('content-security-policy'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    // Nothing on the page that the policy would block from running.
    expect(inlineScripts(page.body)).toEqual([]);
    expect(page.body).not.toMatch(/\son[a-z]+=/i);
  });

  it("loads Swagger UI's scripts from this origin, its document included", async () => {
    const page = await kit.request<string>('GET', '/docs', { key: null });
    const sources = [...page.body.matchAll(/<script src="([^"]+)"/g)].map(([, source]) => source);
    expect(sources).toContain('/docs/swagger-initializer.js');
    for (const source of sources) {
      const script = await kit.request<string>('GET', source, { key: null });
      expect([source, script.status, script.contentType]).toEqual([
        source,
        200,
        expect.stringMatching(/^application\/javascript/),
      ]);
    }
    const initializer = await kit.request<string>('GET', '/docs/swagger-initializer.js', { key: null });
    expect(initializer.body).toContain("url: '/docs-json'");
  });

  describe('a body that is not JSON', () => {
    it.each([
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'person=01025161013'],
      ['application/xml', '<consent/>'],
    ])('answers 415 problem+json for %s and creates nothing', async (type, body) => {
      const answer = await kit.request('POST', '/v1/consent-requests', {
        key,
        rawBody: body,
        headers: { 'content-type': type },
      });
      expect([answer.status, answer.contentType]).toEqual([415, 'application/problem+json; charset=utf-8']);
      expect(answer.body).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
      expect(answer.body.detail).toBe(`The request body must be application/json, not ${type}`);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const listed = await kit.request('GET', '/v1/consent-requests', { key });
      expect(listed.body.data).toEqual([]);
    });

    it('answers 415 for a body without a Content-Type', async () => {
      const answer = await fetch(`${kit.gateway.url}/v1/consent-requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: new Blob([JSON.stringify(createBody())]),
      });
      expect(answer.status).toBe(415);
      expect(((await answer.json()) as { detail: string }).detail).toBe(
        'The request body must be application/json (it has no Content-Type)',
      );
    });

    it('answers 415 on the admin API too, and onboards nobody', async () => {
      const answer = await kit.request('POST', '/admin/v1/tenants', {
        rawBody: 'orgNumber=974760673',
        headers: { 'content-type': 'text/plain' },
      });
      expect(answer.status).toBe(415);
      const tenants = await kit.request('GET', '/admin/v1/tenants');
      expect(tenants.body.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual([TENANT_A]);
    });

    it('still answers 404 for an unknown route, whatever its body', async () => {
      const answer = await kit.request('POST', '/v1/nothing-here', {
        key,
        rawBody: 'hello',
        headers: { 'content-type': 'text/plain' },
      });
      expect(answer.status).toBe(404);
    });

    it('still takes JSON with a charset', async () => {
      const answer = await kit.request('POST', '/v1/consent-requests', {
        key,
        body: createBody(),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(answer.status).toBe(202);
    });
  });
});
