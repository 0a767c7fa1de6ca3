import { GatewayTestKit } from './gateway-test-kit';

// Offboarding keeps a tenant's data for audit but ends everything that acts for it.
describe('offboarding a tenant', () => {
  const kit = new GatewayTestKit();

  beforeAll(() =>
    kit.start({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:9',
      RATE_LIMIT_PER_SECOND: '0',
    }),
  );
  afterAll(() => kit.close());

  it('revokes its keys and disables its webhook endpoints, keeping the rows', async () => {
    const { tenantId, key } = await kit.onboard('313876144', 'Sparebank Super');
    const endpoint = await kit.request('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: 'http://127.0.0.1:9/hooks' },
    });
    expect(endpoint.status).toBe(201);

    expect((await kit.request('DELETE', `/admin/v1/tenants/${tenantId}`)).status).toBe(200);

    expect((await kit.request('GET', '/v1/webhook-endpoints', { key })).status).toBe(401);
    const [row] = await kit.database.dataSource.query<{ enabled: boolean; disabled_reason: string }[]>(
      'SELECT enabled, disabled_reason FROM webhook_endpoints WHERE tenant_id = $1',
      [tenantId],
    );
    expect(row).toEqual({ enabled: false, disabled_reason: 'offboarded' });
  });
});
