import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { until } from '@test/resources';
import { ADMIN_KEY } from './gateway-test-kit';
import { createBody, PERSON, READ, TENANT_A, WRITE } from './consent-stack';
import { WebhookStack } from './webhook-stack';

/** Where the run's screenshots go (git-ignored); the README's picture is the tenant page from here. */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-output', 'console');
/** Debian's chromium (`.ci/run` installs it); no browser is downloaded by npm. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const WAIT = { timeout: 60_000 };
// A browser and the whole stack share two cores with the other suites: generous per-step deadlines.
jest.setTimeout(120_000);

// The console in a real browser against a real gateway, worker, simulator and webhook receiver: an
// operator signs in, onboards a bank, watches its delegation turn verified, issues it a key, finds the
// bank's consent (masked) and retries its failed webhook delivery, then signs out.
describe('operator console in a browser', () => {
  const stack = new WebhookStack();
  let browser: Browser;
  let page: Page;
  let tenantId: string;
  let tenantKey: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await stack.startWebhookStack();
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in CI has no user namespace for Chromium's sandbox.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    await page.setViewport({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack.close();
  });

  const url = (path: string) => `${stack.adminUrl}${path}`;
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  // Page-side code is passed as text: this project's TypeScript has no DOM types.
  /** Clicks and waits for the page htmx swaps in (boosted links and forms keep one document). */
  async function clickAndSettle(selector: string): Promise<void> {
    await page.evaluate(
      "window.settled = false; document.addEventListener('htmx:afterSettle', () => { window.settled = true }, { once: true })",
    );
    await page.click(selector);
    await page.waitForFunction('window.settled === true', WAIT);
  }

  const text = (selector: string) => page.$eval(selector, (element) => element.textContent?.trim() ?? '');

  it('signs in with the admin key and lands on the tenants', async () => {
    await page.goto(url('/console'));
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await shot('sign-in');
    await page.type('#admin-key', ADMIN_KEY);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/console/tenants');
    expect(await text('h1')).toBe('Tenants');
    const cookies = await browser.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([
      ['sgw_console', true, 'Strict'],
    ]);
    expect(JSON.stringify(cookies)).not.toContain(ADMIN_KEY);
  });

  it('is usable from the keyboard: the first Tab reaches the skip link, shown with a focus ring', async () => {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      '({ text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle })',
    );
    expect(focused).toEqual({ text: 'Skip to content', outline: 'solid' });
  });

  it('shows the API’s field problems beside the onboarding fields, then onboards and watches the delegation verified', async () => {
    await clickAndSettle('a[href="/console/tenants/new"]');
    await page.type('#orgNumber', '123456789');
    await page.type('#name', 'Sparebank Super');
    await page.type('#scopes', `${WRITE}\n${READ}`);
    await clickAndSettle('main form button[type="submit"]');
    expect(await text('#orgNumber-error')).toContain('MOD11');
    expect(await page.$eval('#orgNumber', (input) => input.getAttribute('aria-invalid'))).toBe('true');
    await shot('onboarding-problems');

    await page.click('#orgNumber', { count: 3 });
    await page.type('#orgNumber', TENANT_A);
    await clickAndSettle('main form button[type="submit"]');
    tenantId = /\/console\/tenants\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    expect(tenantId).toMatch(UUID);
    // The scopes section asks again until the worker's check with Maskinporten has answered.
    await page.waitForFunction("document.querySelectorAll('#scopes .badge.good').length === 3", WAIT);
    expect(await text(`#scopes tr[data-scope="${WRITE}"] .badge`)).toBe('verified');
    expect(await text(`#scopes tr[data-scope="${READ}"] .badge`)).toBe('verified');
  });

  it('issues a key, shown once', async () => {
    await page.type('#key-name', 'loan system');
    await clickAndSettle('#keys button[type="submit"]:not([form])');
    tenantKey = await text('#issued-key');
    expect(tenantKey).toMatch(/^sgw_/);
    const answer = await stack.request('GET', '/v1/tenant', { key: tenantKey });
    expect([answer.status, answer.body.tenantId]).toEqual([200, tenantId]);
    await page.goto(url(`/console/tenants/${tenantId}`));
    expect(await page.$('#issued-key')).toBeNull();
  });

  it('finds a consent created through the tenant API, with the fødselsnummer masked', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: tenantKey,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    await page.select('#consent-status', created.body.status);
    await clickAndSettle('#consents button[type="submit"]');
    const row = `#consents tr[data-consent="${created.body.id}"]`;
    await page.waitForSelector(row, WAIT);
    expect(await text(`${row} td:nth-child(3)`)).toBe(
      `urn:altinn:person:identifier-no:${PERSON.slice(0, 6)}•••••`,
    );
    const content = await page.content();
    expect(content.replace(UUID, '')).not.toMatch(/\d{11}/);
  });

  it('retries a failed webhook delivery', async () => {
    let up = false;
    stack.receiver.answer('/console/hook', () => ({ status: up ? 204 : 503 }));
    const endpoint = await stack.request('POST', '/v1/webhook-endpoints', {
      key: tenantKey,
      body: { url: stack.receiver.url('/console/hook'), eventTypes: ['consent.used'] },
    });
    const delivery = await stack.request('POST', `/v1/webhook-endpoints/${endpoint.body.id}/test`, {
      key: tenantKey,
    });
    await stack.waitForDelivery(tenantKey, endpoint.body.id, delivery.body.id, 'failed');

    await page.goto(url(`/console/tenants/${tenantId}`));
    const row = `#webhooks tr[data-delivery="${delivery.body.id}"]`;
    expect(await text(`${row} td:nth-child(2)`)).toMatch(/^(failed|dead)$/);
    up = true;
    await clickAndSettle(`${row} button`);
    expect(await text('.notice.good')).toBe('Delivery queued again.');
    await stack.waitForDelivery(tenantKey, endpoint.body.id, delivery.body.id, 'succeeded');
    await page.goto(url(`/console/tenants/${tenantId}`));
    expect(await text(`${row} td:nth-child(2)`)).toBe('succeeded');
    // The tenant's audit trail names the operator's retry.
    expect(await text('#audit')).toContain('webhook_delivery.retried');
    await shot('tenant');
  });

  it('refuses a change without the CSRF token', async () => {
    const refused = await page.evaluate(async (id) => {
      const response = await fetch(`/console/tenants/${id}/delegation-check`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      };
    }, tenantId);
    expect(refused).toMatchObject({
      status: 403,
      type: expect.stringContaining('application/problem+json'),
      body: { status: 403, detail: expect.stringContaining('CSRF') },
    });
  });

  it('finds the tenant by org number and by part of its name, its delegation at a glance', async () => {
    await clickAndSettle('a[href="/console/tenants"]');
    await page.type('#q', TENANT_A);
    await clickAndSettle('form.search button[type="submit"]');
    expect(await text('tbody tr td:nth-child(2)')).toBe('Sparebank Super');
    expect(await text('tbody tr .badge')).toBe('2/2 verified');
    await page.click('#q', { count: 3 });
    await page.type('#q', 'super');
    await clickAndSettle('form.search button[type="submit"]');
    expect(await text('tbody tr td:nth-child(1)')).toBe(TENANT_A);
    await shot('tenants');
  });

  it('shows the audit log and the system health', async () => {
    await clickAndSettle('a[href="/console/audit-log"]');
    expect(await text('table.audit')).toContain('tenant.created');
    await shot('audit-log');
    await clickAndSettle('a[href="/console/system"]');
    expect(await text('tr[data-queue="delegation-check"]')).toContain('delegation-check');
    expect(await text('tr[data-upstream="maskinporten"] .badge')).toBe('closed');
    // Each process adds what it counted every few seconds: the consent created above shows once added.
    await until(
      'Altinn calls on the system page',
      async () => {
        await page.reload({ waitUntil: 'load' });
        return (await page.$('tr[data-traffic-upstream="altinn"]')) !== null;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(Number(await text('tr[data-traffic-upstream="altinn"] td:nth-child(2)'))).toBeGreaterThan(0);
    await shot('system');
  });

  it('signs out: the session is gone', async () => {
    await Promise.all([
      page.waitForFunction("location.pathname === '/console/sign-in'", WAIT),
      page.click('.sign-out button'),
    ]);
    await page.goto(url(`/console/tenants/${tenantId}`));
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });
});
