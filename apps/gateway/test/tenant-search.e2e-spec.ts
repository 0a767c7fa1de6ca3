import { GatewayTestKit } from './gateway-test-kit';

const WRITE = 'altinn:consentrequests.write';

// GET /admin/v1/tenants with its filters, through the gateway: what an operator (or the CLI) asks to find
// a tenant without knowing its id. No worker runs here, so scopes stay unchecked (`pending`).
describe('finding tenants in the admin API', () => {
  const kit = new GatewayTestKit();
  const orgs = ['313876144', '974760673', '910825518'];

  beforeAll(async () => {
    await kit.start();
    await kit.onboard(orgs[0], 'Sparebank Super', [WRITE]);
    await kit.onboard(orgs[1], 'Sparebank Annen');
    const { tenantId } = await kit.onboard(orgs[2], 'Nordbank', [WRITE]);
    await kit.request('PATCH', `/admin/v1/tenants/${tenantId}`, { body: { status: 'suspended' } });
  });
  afterAll(() => kit.close());

  const find = async (query: string) => {
    const answer = await kit.request('GET', `/admin/v1/tenants?${query}`);
    expect(answer.status).toBe(200);
    return (answer.body.data as { orgNumber: string }[]).map((tenant) => tenant.orgNumber);
  };

  it('finds a tenant by its org number', async () => {
    expect(await find(`orgNumber=${orgs[1]}`)).toEqual([orgs[1]]);
    expect(await find('orgNumber=889640782')).toEqual([]);
  });

  it('finds tenants by name, status and delegation state, combined', async () => {
    expect(await find('q=SPAREBANK')).toEqual([orgs[0], orgs[1]]);
    expect(await find('status=suspended')).toEqual([orgs[2]]);
    expect(await find('delegation=pending')).toEqual([orgs[0], orgs[2]]);
    expect(await find('delegation=none')).toEqual([orgs[1]]);
    expect(await find('delegation=pending&q=spare')).toEqual([orgs[0]]);
    const [tenant] = (await kit.request('GET', `/admin/v1/tenants?orgNumber=${orgs[0]}`)).body.data;
    expect(tenant.delegation).toBe('pending');
  });

  it('pages a filtered listing with the cursor', async () => {
    const first = await kit.request('GET', '/admin/v1/tenants?delegation=pending&limit=1');
    expect(first.body.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual([orgs[0]]);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await kit.request(
      'GET',
      `/admin/v1/tenants?delegation=pending&limit=1&cursor=${first.body.next}`,
    );
    expect(second.body).toEqual({ data: [expect.objectContaining({ orgNumber: orgs[2] })], next: null });
  });

  it.each([
    ['orgNumber', 'orgNumber=313876145'],
    ['orgNumber', 'orgNumber=12345'],
    ['delegation', 'delegation=broken'],
    ['q', 'q=%20'],
  ])('answers 422 naming %s when it is malformed (%s)', async (parameter, query) => {
    const answer = await kit.request('GET', `/admin/v1/tenants?${query}`);
    expect(answer.status).toBe(422);
    expect(answer.contentType).toContain('application/problem+json');
    const named = (answer.body.errors as { parameter: string }[]).map((error) => error.parameter);
    expect(new Set(named)).toEqual(new Set([parameter]));
  });
});
