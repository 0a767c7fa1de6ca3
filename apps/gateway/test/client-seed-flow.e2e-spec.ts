import { createAdminClient, createTenantClient } from '@samtykke-gateway/client';
import { CONSENT_REQUEST_EXAMPLE } from '@gw/consent';
import { until } from '@test/resources';
import { ConsentStack, decodeJwt, PERSON, READ, TENANT_A, WRITE } from './consent-stack';
import { ADMIN_KEY } from './gateway-test-kit';

// The seed flow as a bank and an operator write it with the typed client (packages/client): a real gateway,
// worker and simulator; every path, body and answer below is checked by the compiler against the documents.
describe('the seed flow through @samtykke-gateway/client', () => {
  const stack = new ConsentStack();

  beforeAll(() => stack.startStack());
  afterAll(() => stack.close());

  it('onboards a tenant, issues its key, creates a consent the person accepts, and gets its token and events', async () => {
    const admin = createAdminClient({ baseUrl: stack.adminUrl, adminKey: ADMIN_KEY });
    const onboarded = await admin.POST('/admin/v1/tenants', {
      body: { orgNumber: TENANT_A, name: 'Sparebank Super', scopes: [WRITE, READ] },
    });
    expect(onboarded.response.status).toBe(201);
    const tenantId = onboarded.data!.id;
    const issued = await admin.POST('/admin/v1/tenants/{id}/api-keys', {
      params: { path: { id: tenantId } },
      body: { name: 'loan applications' },
    });
    expect(issued.response.status).toBe(201);

    const bank = createTenantClient({ baseUrl: stack.url, apiKey: issued.data!.key });
    const created = await bank.POST('/v1/consent-requests', {
      params: { header: { Prefer: 'wait=20' } },
      // The seeds' example (a person and resource the simulator knows), valid for 30 days.
      body: { ...CONSENT_REQUEST_EXAMPLE, validTo: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({
      status: 'created',
      from: `urn:altinn:person:identifier-no:${PERSON}`,
    });
    const id = created.data!.id;

    await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    const accepted = await bank.GET('/v1/consent-requests/{id}', {
      params: { path: { id }, query: { refresh: 'true' } },
    });
    expect(accepted.data?.status).toBe('accepted');

    const token = await bank.POST('/v1/consent-requests/{id}/token', { params: { path: { id } } });
    expect(token.data).toMatchObject({ token_type: 'Bearer', scope: READ });
    expect(decodeJwt(token.data!.access_token).consumer).toEqual({
      authority: 'iso6523-actorid-upis',
      ID: `0192:${TENANT_A}`,
    });

    // An event joins the feed once the worker's relay has sequenced it, a moment after the change.
    const fed = await until(
      'the consent’s three events in the feed',
      async () => {
        const feed = await bank.GET('/v1/events', { params: { query: { limit: 500 } } });
        return (feed.data?.data ?? [])
          .filter((event) => event.consentRequestId === id)
          .map((event) => event.type);
      },
      { done: (types) => types.length >= 3, timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(fed).toEqual(['consent.pending', 'consent.created', 'consent.accepted']);
  });

  it('hands a refusal back as the typed problem of the operation', async () => {
    const admin = createAdminClient({ baseUrl: stack.adminUrl, adminKey: ADMIN_KEY });
    const missing = await admin.GET('/admin/v1/tenants/{id}', {
      params: { path: { id: '6f1c1d4e-3b7a-4c55-9a57-3f0f9ad2b1c1' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ status: 404, code: 'tenants.not_found' });

    const bank = createTenantClient({ baseUrl: stack.url, apiKey: 'sgw_test_not-a-key' });
    const refused = await bank.GET('/v1/consent-requests');
    expect(refused.response.status).toBe(401);
    // Compiles only while the document lists this code for the operation's problems.
    const invalidKey: NonNullable<NonNullable<typeof refused.error>['code']> = 'auth.invalid_credentials';
    expect(refused.error?.code).toBe(invalidKey);
  });
});
