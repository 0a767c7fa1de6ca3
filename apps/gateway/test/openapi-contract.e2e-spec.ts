import { randomUUID } from 'node:crypto';
import { until } from '@test/resources';
import { createBody, READ, TENANT_A, TENANT_B, WRITE } from './consent-stack';
import { GatewayTestKit, type HttpAnswer } from './gateway-test-kit';
import { OpenApiContract } from './openapi-contract';
import { WebhookStack } from './webhook-stack';

type RequestOptions = Parameters<GatewayTestKit['request']>[2];

/** The documents a running gateway serves, as the contract the answers are checked against. */
async function contractOf(kit: GatewayTestKit): Promise<OpenApiContract> {
  const [tenant, admin] = await Promise.all(
    ['/docs-json', '/admin/docs-json'].map((path) => kit.request('GET', path, { key: null })),
  );
  return new OpenApiContract({ tenant: tenant.body, admin: admin.body });
}

// Every answer of the seed flow, and of its refusals, agrees with the OpenAPI documents the gateway serves.
describe('the OpenAPI documents against real answers', () => {
  const stack = new WebhookStack();
  let contract: OpenApiContract;
  let tenantId: string;
  let key: string;

  /** A request whose answer must agree with its documented operation. */
  const call = async (method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> => {
    const answer = await stack.request(method, path, options);
    expect({ [`${method} ${path}`]: contract.violations(method, path, answer) }).toEqual({
      [`${method} ${path}`]: [],
    });
    return answer;
  };

  beforeAll(async () => {
    await stack.startWebhookStack();
    ({ tenantId, key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    contract = await contractOf(stack);
  });
  afterAll(() => stack.close());

  it('documents the answers of the seed flow: create (202, and 201 with Prefer: wait), replay, list, get, token, events', async () => {
    const queued = await call('POST', '/v1/consent-requests', { key, body: createBody() });
    expect(queued.status).toBe(202);

    const idempotencyKey = randomUUID();
    const body = createBody();
    const created = await call('POST', '/v1/consent-requests', {
      key,
      body,
      headers: { prefer: 'wait=20', 'idempotency-key': idempotencyKey },
    });
    expect(created.status).toBe(201);
    const replayed = await call('POST', '/v1/consent-requests', {
      key,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(replayed.body.id).toBe(created.body.id);
    const id = created.body.id as string;

    expect((await call('GET', '/v1/consent-requests?limit=1', { key })).status).toBe(200);
    expect((await call('GET', `/v1/consent-requests/${id}`, { key })).status).toBe(200);
    const refused = await call('POST', `/v1/consent-requests/${id}/token`, { key, body: {} });
    expect(refused).toMatchObject({ status: 409, body: { code: 'consent.not_accepted' } });

    await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    const accepted = await call('GET', `/v1/consent-requests/${id}?refresh=true`, { key });
    expect(accepted.body.status).toBe('accepted');
    expect((await call('POST', `/v1/consent-requests/${id}/token`, { key })).status).toBe(200);
    // An event joins the feed once the worker's relay has sequenced it, a moment after the change.
    const feed = await until('events in the feed', () => call('GET', '/v1/events?limit=500', { key }), {
      done: (answer) => answer.body.data.length > 0,
      timeoutMs: 10_000,
    });
    expect(feed.status).toBe(200);
    expect((await call('GET', '/v1/tenant', { key })).status).toBe(200);
  });

  it('documents the problems: 401, 404, 409, 422, 415 and a 400 cursor', async () => {
    expect((await call('GET', '/v1/consent-requests', { key: null })).status).toBe(401);
    expect((await call('GET', '/v1/consent-requests', { key: 'sgw_test_not-a-key' })).status).toBe(401);
    expect((await call('GET', `/v1/consent-requests/${randomUUID()}`, { key })).status).toBe(404);
    expect((await call('GET', '/v1/consent-requests/not-a-uuid', { key })).status).toBe(422);
    expect((await call('GET', '/v1/consent-requests?cursor=nonsense', { key })).status).toBe(400);
    expect(
      (await call('POST', '/v1/consent-requests', { key, body: createBody({ validTo: 'soon' }) })).status,
    ).toBe(422);
    expect(
      (
        await call('POST', '/v1/consent-requests', {
          key,
          rawBody: 'from=me',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(415);

    const idempotencyKey = randomUUID();
    await call('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { 'idempotency-key': idempotencyKey },
    });
    const mismatch = await call('POST', '/v1/consent-requests', {
      key,
      body: createBody({ redirectUrl: 'https://bank.example/other' }),
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(mismatch).toMatchObject({ status: 422, body: { code: 'consent.idempotency_key_mismatch' } });
    const id = randomUUID();
    await call('POST', '/v1/consent-requests', { key, body: createBody({ id }) });
    const duplicate = await call('POST', '/v1/consent-requests', { key, body: createBody({ id }) });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'consent.duplicate_id' } });
  });

  it('documents the webhook endpoint routes: create, list, get, patch, rotate, test, deliveries, delete', async () => {
    const created = await call('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: stack.receiver.url('/hooks') },
    });
    expect(created.status).toBe(201);
    const endpoint = `/v1/webhook-endpoints/${created.body.id}`;
    expect((await call('GET', '/v1/webhook-endpoints', { key })).status).toBe(200);
    expect((await call('GET', endpoint, { key })).status).toBe(200);
    expect((await call('PATCH', endpoint, { key, body: { eventTypes: ['consent.accepted'] } })).status).toBe(
      200,
    );
    expect((await call('POST', `${endpoint}/rotate-secret`, { key })).status).toBe(200);
    expect((await call('POST', `${endpoint}/test`, { key })).status).toBe(202);
    expect((await call('GET', `${endpoint}/deliveries`, { key })).status).toBe(200);
    const refused = await call('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: 'http://10.0.0.1/hooks' },
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'webhooks.url_not_allowed' } });
    expect((await call('DELETE', endpoint, { key })).status).toBe(204);
    expect((await call('GET', endpoint, { key })).status).toBe(404);
  });

  it('documents the admin API answers an operator sees', async () => {
    expect((await call('GET', '/admin/v1/tenants')).status).toBe(200);
    expect((await call('GET', `/admin/v1/tenants/${tenantId}`)).status).toBe(200);
    expect((await call('GET', `/admin/v1/tenants/${tenantId}/api-keys`)).status).toBe(200);
    expect((await call('GET', '/admin/v1/audit-log?limit=5')).status).toBe(200);
    expect((await call('GET', `/admin/v1/tenants/${randomUUID()}`)).status).toBe(404);
    expect((await call('GET', '/admin/v1/tenants', { key: null })).status).toBe(401);
    const duplicate = await call('POST', '/admin/v1/tenants', {
      body: { orgNumber: TENANT_A, name: 'Again', scopes: [] },
    });
    expect(duplicate.status).toBe(409);
  });

  it("creates a consent request from the example Swagger UI's Try it out fills in, at the document's server", async () => {
    const document = (await stack.request('GET', '/docs-json', { key: null })).body;
    const operation = document.paths['/v1/consent-requests'].post;
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(operation.security).toEqual([{ 'tenant-key': [] }]);
    const example = operation.requestBody.content['application/json'].examples.seed.value;
    const created = await call('POST', '/v1/consent-requests', { key, body: example });
    expect(created.status).toBe(202);
  });

  it('documents the probes', async () => {
    expect((await call('GET', '/health/live', { key: null })).status).toBe(200);
    expect((await call('GET', '/health/ready', { key: null })).status).toBe(200);
  });

  describe('fails an answer that disagrees with its operation', () => {
    let answer: HttpAnswer;
    let id: string;

    beforeAll(async () => {
      id = (await call('POST', '/v1/consent-requests', { key, body: createBody() })).body.id as string;
      answer = await call('GET', `/v1/consent-requests/${id}`, { key });
    });

    const violationsOf = (changed: Partial<HttpAnswer>) =>
      contract.violations('GET', `/v1/consent-requests/${id}`, { ...answer, ...changed });

    it('a body that breaks the schema', () => {
      expect(violationsOf({ body: { ...answer.body, status: 'approved' } })).toEqual([
        expect.stringMatching(/body: \/status must be equal to one of the allowed values/),
      ]);
      const { viewUri: _dropped, ...withoutViewUri } = answer.body as Record<string, unknown>;
      expect(violationsOf({ body: withoutViewUri })).toEqual([
        expect.stringMatching(/must have required property 'viewUri'/),
      ]);
    });

    it('a missing required header, an undocumented status, another media type', () => {
      const headers = new Headers(answer.headers);
      headers.delete('x-request-id');
      expect(violationsOf({ headers })).toEqual([
        expect.stringMatching(/required header X-Request-Id is missing/),
      ]);
      expect(violationsOf({ status: 418 })).toEqual([expect.stringMatching(/status not documented/)]);
      expect(violationsOf({ contentType: 'text/plain' })).toEqual([
        expect.stringMatching(/content type text\/plain is not one of application\/json/),
      ]);
    });

    it('a problem whose code the operation does not answer with', () => {
      const problem = {
        status: 404,
        contentType: 'application/problem+json',
        body: {
          type: 'about:blank',
          title: 'Not found',
          status: 404,
          detail: 'no',
          code: 'webhooks.endpoint_not_found',
        },
      };
      expect(violationsOf(problem)).toEqual([
        expect.stringMatching(/body: \/code must be equal to one of the allowed values/),
      ]);
      expect(violationsOf({ ...problem, body: { ...problem.body, code: 'consent.not_found' } })).toEqual([]);
    });
  });
});

describe('the OpenAPI documents against a 429', () => {
  const kit = new GatewayTestKit();

  beforeAll(() => kit.start({ RATE_LIMIT_PER_SECOND: '0.001', RATE_LIMIT_BURST: '1' }));
  afterAll(() => kit.close());

  it('documents the rate limit refusal with Retry-After and the RateLimit fields', async () => {
    const contract = await contractOf(kit);
    const { key } = await kit.onboard(TENANT_B, 'Sparebank Annen');
    const answers = [
      await kit.request('GET', '/v1/tenant', { key }),
      await kit.request('GET', '/v1/tenant', { key }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 429]);
    for (const answer of answers) expect(contract.violations('GET', '/v1/tenant', answer)).toEqual([]);
    expect(answers[1].headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answers[1].headers.get('ratelimit')).toMatch(/^"tenant";r=0;t=\d+$/);
  });
});
