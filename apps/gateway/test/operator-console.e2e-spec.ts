import { request as httpRequest } from 'node:http';
import { adminKeyFingerprint } from '@gw/auth';
import { ADMIN_KEY, GatewayTestKit } from './gateway-test-kit';

const TENANT_ORG = '313876144';

/** A browser-like client of the console: keeps the session cookie, never follows redirects. */
class ConsoleClient {
  cookie: string | undefined;
  constructor(private readonly kit: GatewayTestKit) {}

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${this.kit.adminUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  async signIn(key = ADMIN_KEY) {
    const answer = await this.request('POST', '/console/sign-in', { adminKey: key });
    const setCookie = answer.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return answer;
  }

  /** The synchronizer token the page's forms carry. */
  async csrfToken(): Promise<string> {
    const page = await this.request('GET', '/console/tenants');
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`no CSRF token on the page (${page.status})`);
    return match[1];
  }
}

describe('operator console over HTTP', () => {
  const kit = new GatewayTestKit();

  beforeAll(() => kit.start());
  afterAll(() => kit.close());

  it('is served on the management listener only', async () => {
    const onPublic = await fetch(`${kit.url}/console/sign-in`);
    expect(onPublic.status).toBe(404);
    const onManagement = await fetch(`${kit.adminUrl}/console/sign-in`);
    expect(onManagement.status).toBe(200);
    expect(onManagement.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(onManagement.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('sends a page without a session to sign-in', async () => {
    const answer = await new ConsoleClient(kit).request('GET', '/console/tenants');
    expect([answer.status, answer.headers.get('location')]).toEqual([303, '/console/sign-in']);
  });

  it('refuses a wrong admin key and sets no cookie', async () => {
    const answer = await new ConsoleClient(kit).signIn('not-the-key');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.text).toContain('not an admin key');
  });

  it('turns the admin key into an HttpOnly, SameSite=Strict session cookie that does not hold the key', async () => {
    const client = new ConsoleClient(kit);
    const answer = await client.signIn();
    expect([answer.status, answer.headers.get('location')]).toEqual([303, '/console/tenants']);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^sgw_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    expect(setCookie).not.toContain(ADMIN_KEY);
    const page = await client.request('GET', '/console/tenants');
    expect(page.status).toBe(200);
    expect(page.text).toContain(adminKeyFingerprint(ADMIN_KEY));
    expect(page.text).not.toContain(ADMIN_KEY);
  });

  it('marks the cookie Secure, with the __Host- prefix, outside plain HTTP to loopback', async () => {
    // fetch sets Host itself; node:http sends the one given.
    const setCookie = await new Promise<string | undefined>((resolve, reject) => {
      const body = new URLSearchParams({ adminKey: ADMIN_KEY }).toString();
      const request = httpRequest(
        `${kit.adminUrl}/console/sign-in`,
        {
          method: 'POST',
          headers: { host: 'console.example.no', 'content-type': 'application/x-www-form-urlencoded' },
        },
        (response) => {
          response.resume();
          resolve(response.headers['set-cookie']?.[0]);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(setCookie).toMatch(
      /^__Host-sgw_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
  });

  it('refuses a change without the CSRF token with a 403 problem, and makes it with the token', async () => {
    const client = new ConsoleClient(kit);
    await client.signIn();
    const form = { orgNumber: TENANT_ORG, name: 'Sparebank Konsoll', scopes: '' };
    const refused = await client.request('POST', '/console/tenants', form);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(refused.text)).toMatchObject({ status: 403, detail: expect.stringContaining('CSRF') });
    const wrong = await client.request('POST', '/console/tenants', form, { 'x-csrf-token': 'forged' });
    expect(wrong.status).toBe(403);
    expect((await kit.request('GET', `/admin/v1/tenants?orgNumber=${TENANT_ORG}`)).body.data).toEqual([]);

    const token = await client.csrfToken();
    const made = await client.request('POST', '/console/tenants', { ...form, _csrf: token });
    expect(made.status).toBe(303);
    const [tenant] = (await kit.request('GET', `/admin/v1/tenants?orgNumber=${TENANT_ORG}`)).body.data;
    expect(made.headers.get('location')).toBe(`/console/tenants/${tenant.id}?done=onboarded`);
    // Audited as the admin API audits: the operator's admin key by fingerprint.
    const audit = await kit.request('GET', `/admin/v1/audit-log?tenantId=${tenant.id}&action=tenant.created`);
    expect(audit.body.data).toEqual([expect.objectContaining({ actor: adminKeyFingerprint(ADMIN_KEY) })]);
  });

  it('shows the admin API’s field problems beside the onboarding fields', async () => {
    const client = new ConsoleClient(kit);
    await client.signIn();
    const token = await client.csrfToken();
    const answer = await client.request('POST', '/console/tenants', {
      orgNumber: '123456789',
      name: ' ',
      scopes: 'not a scope',
      _csrf: token,
    });
    expect(answer.status).toBe(422);
    expect(answer.text).toMatch(/<p class="field-error" id="orgNumber-error">[^<]*MOD11/);
    expect(answer.text).toMatch(/<p class="field-error" id="name-error">[^<]*must not be empty/);
    expect(answer.text).toMatch(/<p class="field-error" id="scopes-error">[^<]*Maskinporten scope/);
    expect(answer.text).toContain('value="123456789"');
  });

  it('escapes what the API holds (a tenant named with markup)', async () => {
    const created = await kit.request('POST', '/admin/v1/tenants', {
      body: { orgNumber: '974760673', name: '<img src=x onerror=alert(1)>' },
    });
    const client = new ConsoleClient(kit);
    await client.signIn();
    const page = await client.request('GET', `/console/tenants/${created.body.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
  });

  it('ends the session at sign-out: the old cookie no longer opens a page', async () => {
    const client = new ConsoleClient(kit);
    await client.signIn();
    const token = await client.csrfToken();
    const out = await client.request('POST', '/console/sign-out', { _csrf: token });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/console/sign-in']);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await client.request('GET', '/console/tenants');
    expect([after.status, after.headers.get('location')]).toEqual([303, '/console/sign-in']);
    const change = await client.request(
      'POST',
      '/console/tenants',
      { _csrf: token },
      { 'hx-request': 'true' },
    );
    expect([change.status, change.headers.get('hx-redirect')]).toEqual([401, '/console/sign-in']);
  });

  it('refuses every sign-in from an address after 10 failed ones, the right key included', async () => {
    const client = new ConsoleClient(kit);
    expect((await client.signIn()).status).toBe(303);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) statuses.push((await client.signIn('wrong')).status);
    // One failure came from an earlier case; successful sign-ins do not count.
    expect(statuses).toEqual([...Array<number>(9).fill(401), 429, 429]);
    const limited = await client.signIn();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
