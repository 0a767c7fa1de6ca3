import { createAdminClient, createTenantClient } from '@samtykke-gateway/client';

/** A fetch that records each request and answers with `body`. */
function recordingFetch(status: number, body: unknown) {
  const requests: Request[] = [];
  const fetch = (request: Request) => {
    requests.push(request);
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );
  };
  return { requests, fetch };
}

describe('the typed clients', () => {
  it('send the tenant API key as a bearer token to the tenant API path', async () => {
    const recorded = recordingFetch(200, { data: [], next: null });
    const client = createTenantClient({
      baseUrl: 'http://gateway.test',
      apiKey: 'sgw_test_abc',
      fetch: recorded.fetch,
    });
    const { data } = await client.GET('/v1/consent-requests', { params: { query: { status: 'accepted' } } });
    expect(data).toEqual({ data: [], next: null });
    expect(recorded.requests.map((request) => [request.method, request.url])).toEqual([
      ['GET', 'http://gateway.test/v1/consent-requests?status=accepted'],
    ]);
    expect(recorded.requests[0].headers.get('authorization')).toBe('Bearer sgw_test_abc');
  });

  it('send the admin key to the admin API and hand a problem answer back as the error', async () => {
    const problem = { type: 'about:blank', title: 'Tenant not found', status: 404, detail: 'no such tenant' };
    const recorded = recordingFetch(404, problem);
    const client = createAdminClient({
      baseUrl: 'http://management.test',
      adminKey: 'admin-key',
      fetch: recorded.fetch,
    });
    const { data, error } = await client.GET('/admin/v1/tenants/{id}', {
      params: { path: { id: '6f1c1d4e-3b7a-4c55-9a57-3f0f9ad2b1c1' } },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual(problem);
    expect(recorded.requests[0].url).toBe(
      'http://management.test/admin/v1/tenants/6f1c1d4e-3b7a-4c55-9a57-3f0f9ad2b1c1',
    );
    expect(recorded.requests[0].headers.get('authorization')).toBe('Bearer admin-key');
  });
});
