import { randomUUID } from 'node:crypto';
import { until } from '@test/resources';
import {
  ConsentStack,
  createBody,
  decodeJwt,
  OTHER_PERSON,
  PERSON,
  PROVIDER_ORG,
  READ,
  TENANT_A,
  TENANT_B,
  WRITE,
} from './consent-stack';

// docs/architecture.md flows 2–4 end to end: real Postgres, Redis, worker and simulator.
describe('consent requests end to end', () => {
  const stack = new ConsentStack();
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    await stack.startStack();
    await stack.sim.control('POST', '/_sim/delegations', {
      consumerOrg: TENANT_B,
      supplierOrg: PROVIDER_ORG,
      scopes: [WRITE, READ],
    });
    ({ key: keyA } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    ({ key: keyB } = await stack.onboard(TENANT_B, 'Sparebank Annen', [WRITE, READ]));
  });
  afterAll(() => stack.close());
  afterEach(() => stack.sim.control('DELETE', '/_sim/faults'));

  const events = async (key: string, consentId: string) => {
    const feed = await stack.request('GET', '/v1/events?limit=500', { key });
    expect(feed.status).toBe(200);
    return (feed.body.data as { type: string; consentRequestId: string }[])
      .filter((event) => event.consentRequestId === consentId)
      .map((event) => event.type);
  };
  /**
   * Expects the consent's events in the feed, waiting until there are as many: an event joins the feed when
   * the worker's relay has sequenced it, a moment after the status changed.
   */
  const expectEventsInFeed = async (key: string, consentId: string, expected: string[]) => {
    const types = await until(
      `${expected.length} events of ${consentId} in the feed`,
      () => events(key, consentId),
      {
        done: (fed) => fed.length >= expected.length,
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    expect(types).toEqual(expected);
  };

  it('runs the seed flow: create, accept, status, consent token with the tenant as consumer', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/consent-requests/${created.body.id}`);
    expect(created.body).toMatchObject({
      status: 'created',
      from: `urn:altinn:person:identifier-no:${PERSON}`,
      to: `urn:altinn:organization:identifier-no:${TENANT_A}`,
    });
    expect(created.body.viewUri).toContain(created.body.id);
    const id = created.body.id as string;

    await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    const refreshed = await stack.request('GET', `/v1/consent-requests/${id}?refresh=true`, { key: keyA });
    expect(refreshed.body.status).toBe('accepted');

    const token = await stack.request('POST', `/v1/consent-requests/${id}/token`, { key: keyA, body: {} });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: READ });
    expect(token.body.expires_in).toBeGreaterThan(0);
    const claims = decodeJwt(token.body.access_token);
    expect(claims.consumer).toEqual({ authority: 'iso6523-actorid-upis', ID: `0192:${TENANT_A}` });
    expect(claims.supplier).toEqual({ authority: 'iso6523-actorid-upis', ID: `0192:${PROVIDER_ORG}` });
    expect(claims.authorization_details).toEqual([
      expect.objectContaining({
        type: 'urn:altinn:consent',
        id,
        from: `urn:altinn:person:identifier-no:${PERSON}`,
        to: { authority: 'iso6523-actorid-upis', ID: `0192:${TENANT_A}` },
      }),
    ]);

    await expectEventsInFeed(keyA, id, ['consent.pending', 'consent.created', 'consent.accepted']);
  });

  it('answers 202 with Location at once and creates the request in the background', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', { key: keyA, body: createBody() });
    expect(created.status).toBe(202);
    expect(created.body.status).toBe('pending');
    const view = await stack.waitForStatus(keyA, created.body.id, 'created');
    expect(view.viewUri).toContain(created.body.id);
  });

  it('gives two tenants in parallel tokens with their own consumer_org', async () => {
    const [a, b] = await Promise.all(
      [keyA, keyB].map((key) =>
        stack.request('POST', '/v1/consent-requests', {
          key,
          body: createBody(),
          headers: { prefer: 'wait=20' },
        }),
      ),
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.to).toBe(`urn:altinn:organization:identifier-no:${TENANT_B}`);
    await Promise.all(
      [a, b].map((answer) => stack.sim.control('POST', `/_sim/consents/${answer.body.id}/accept`)),
    );
    const tokens = await Promise.all(
      [
        [keyA, a.body.id],
        [keyB, b.body.id],
      ].map(async ([key, id]) => {
        await stack.request('GET', `/v1/consent-requests/${id}?refresh=true`, { key });
        return stack.request('POST', `/v1/consent-requests/${id}/token`, { key, body: {} });
      }),
    );
    expect(decodeJwt(tokens[0].body.access_token).consumer.ID).toBe(`0192:${TENANT_A}`);
    expect(decodeJwt(tokens[1].body.access_token).consumer.ID).toBe(`0192:${TENANT_B}`);
  });

  it("answers 404 for another tenant's consent everywhere", async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyB,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    const id = created.body.id as string;
    for (const [method, path] of [
      ['GET', `/v1/consent-requests/${id}`],
      ['GET', `/v1/consent-requests/${id}?refresh=true`],
      ['POST', `/v1/consent-requests/${id}/token`],
    ] as const) {
      const answer = await stack.request(method, path, {
        key: keyA,
        body: method === 'POST' ? {} : undefined,
      });
      expect([path, answer.status, answer.body.code]).toEqual([path, 404, 'consent.not_found']);
    }
    const list = await stack.request('GET', '/v1/consent-requests?limit=200', { key: keyA });
    expect(list.body.data.map((consent: { id: string }) => consent.id)).not.toContain(id);
    expect(await events(keyA, id)).toEqual([]);
  });

  it('tracks a rejection through the early GETs, with one event', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({}, OTHER_PERSON),
      headers: { prefer: 'wait=20' },
    });
    await stack.sim.control('POST', `/_sim/consents/${created.body.id}/reject`);
    await stack.waitForStatus(keyA, created.body.id, 'rejected');
    // Feed polls and refreshes after the change add nothing.
    await stack.request('GET', `/v1/consent-requests/${created.body.id}?refresh=true`, { key: keyA });
    await expectEventsInFeed(keyA, created.body.id, [
      'consent.pending',
      'consent.created',
      'consent.rejected',
    ]);
  });

  it('tracks a revocation through the feed and refuses tokens afterwards', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    const id = created.body.id as string;
    await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    await stack.waitForStatus(keyA, id, 'accepted');
    await stack.sim.control('POST', `/_sim/consents/${id}/revoke`);
    await stack.waitForStatus(keyA, id, 'revoked');
    const token = await stack.request('POST', `/v1/consent-requests/${id}/token`, { key: keyA, body: {} });
    expect(token.status).toBe(409);
    expect(token.body.code).toBe('consent.revoked');
    await expectEventsInFeed(keyA, id, [
      'consent.pending',
      'consent.created',
      'consent.accepted',
      'consent.revoked',
    ]);
  });

  it('expires a consent at validTo with one consent.expired event', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({ validTo: new Date(Date.now() + 3_000).toISOString() }),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    await stack.waitForStatus(keyA, created.body.id, 'expired');
    await expectEventsInFeed(keyA, created.body.id, [
      'consent.pending',
      'consent.created',
      'consent.expired',
    ]);
  });

  /** The consents Altinn (the simulator) holds for tenant A that were created with this `redirectUrl`. */
  const storedAtAltinn = async (redirectUrl: string) => {
    const stored = await stack.sim.control<{ data: { id: string; redirectUrl: string }[] }>(
      'GET',
      `/_sim/consents?to=${encodeURIComponent(`urn:altinn:organization:identifier-no:${TENANT_A}`)}`,
    );
    return stored.data.filter((consent) => consent.redirectUrl === redirectUrl).map((consent) => consent.id);
  };

  it('retries Altinn 503s and never creates a second upstream consent', async () => {
    await stack.sim.control('PUT', '/_sim/faults', {
      upstream: 'altinn',
      status: 503,
      rate: 1,
      forSeconds: 2,
    });
    const redirectUrl = `https://bank.example/consent/return?ref=${randomUUID()}`;
    const before = await stack.stats();
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({ redirectUrl }),
    });
    expect(created.status).toBe(202);
    await stack.waitForStatus(keyA, created.body.id, 'created', 30_000);
    const after = await stack.stats();
    expect(after.altinn.create - before.altinn.create).toBeGreaterThan(1);
    expect(await storedAtAltinn(redirectUrl)).toEqual([created.body.id]);
  });

  it('keeps retrying through a 15 s Altinn stall cut by its timeout, then creates the consent once', async () => {
    await stack.sim.control('PUT', '/_sim/faults', {
      upstream: 'altinn',
      latencyMs: 15_000,
      rate: 1,
      forSeconds: 4,
    });
    const redirectUrl = `https://bank.example/consent/return?ref=${randomUUID()}`;
    const created = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({ redirectUrl }),
    });
    await stack.waitForStatus(keyA, created.body.id, 'created', 40_000);
    expect(await storedAtAltinn(redirectUrl)).toEqual([created.body.id]);
  }, 60_000);

  it('marks a request Altinn refuses as failed, keeping its problem, with Prefer: wait answering it', async () => {
    const refused = await stack.request('POST', '/v1/consent-requests', {
      key: keyA,
      body: createBody({
        consentRights: [
          { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'no-such-resource' }] },
        ],
      }),
      headers: { prefer: 'wait=20' },
    });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.code).toBe('consent.upstream_refused');
    expect(refused.body.failure).toMatchObject({ source: 'altinn' });
    const id = refused.body.consentRequestId as string;
    const view = await stack.request('GET', `/v1/consent-requests/${id}`, { key: keyA });
    expect(view.body.status).toBe('failed');
    await expectEventsInFeed(keyA, id, ['consent.pending', 'consent.failed']);
  });

  describe('bad input', () => {
    it.each([
      ['from', { from: 'urn:altinn:person:identifier-no:12345678901' }, '/from'],
      ['to', { to: `urn:altinn:organization:identifier-no:${TENANT_B}` }, '/to'],
      ['validTo', { validTo: new Date(Date.now() - 1000).toISOString() }, '/validTo'],
      ['consentRights', { consentRights: [] }, '/consentRights'],
      ['redirectUrl', { redirectUrl: 'not a url' }, '/redirectUrl'],
      ['requestMessage', { requestMessage: { de: 'Hallo' } }, '/requestMessage/de'],
    ])('refuses a bad %s with 422 naming it, and stores nothing', async (_field, overrides, pointer) => {
      const before = await stack.request('GET', '/v1/consent-requests?limit=200', { key: keyA });
      const refused = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(overrides),
      });
      expect(refused.status).toBe(422);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
      const after = await stack.request('GET', '/v1/consent-requests?limit=200', { key: keyA });
      expect(after.body.data.length).toBe(before.body.data.length);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const refused = await stack.request('POST', '/v1/consent-requests', { key: keyA, rawBody: '{"from":' });
      expect(refused.status).toBe(400);
    });

    it('refuses a token for a scope the tenant did not delegate', async () => {
      const created = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(),
        headers: { prefer: 'wait=20' },
      });
      const refused = await stack.request('POST', `/v1/consent-requests/${created.body.id}/token`, {
        key: keyA,
        body: { scope: 'skatteetaten:inntekt' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('consent.scope_not_delegated');
    });

    it('refuses a token for a consent not yet accepted', async () => {
      const created = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(),
        headers: { prefer: 'wait=20' },
      });
      const refused = await stack.request('POST', `/v1/consent-requests/${created.body.id}/token`, {
        key: keyA,
        body: {},
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('consent.not_accepted');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers the same key and body with the first request, and another body with 422', async () => {
      const key = randomUUID();
      const body = createBody();
      const first = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body,
        headers: { 'idempotency-key': key },
      });
      const again = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(again.body.id).toBe(first.body.id);
      const other = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody({ redirectUrl: 'https://bank.example/other' }),
        headers: { 'idempotency-key': key },
      });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('consent.idempotency_key_mismatch');
    });

    it("keeps one tenant's keys apart from another's", async () => {
      const key = randomUUID();
      const a = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(),
        headers: { 'idempotency-key': key },
      });
      const b = await stack.request('POST', '/v1/consent-requests', {
        key: keyB,
        body: createBody(),
        headers: { 'idempotency-key': key },
      });
      expect(b.body.id).not.toBe(a.body.id);
    });
  });
});

describe('upstream calls for 100 consents of one tenant', () => {
  const stack = new ConsentStack();
  let key: string;

  beforeAll(async () => {
    await stack.startStack({ CONSENT_EARLY_REFRESH_DELAYS_MS: '60000', CONSENT_FEED_INTERVAL_MS: '600000' });
    // No scopes recorded: no delegation check runs, so every token request below is the consent flow's.
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super'));
  });
  afterAll(() => stack.close());

  it('makes 100 Altinn POSTs and signs and fetches one token for them all', async () => {
    const before = await stack.stats();
    const created = await Promise.all(
      Array.from({ length: 100 }, () =>
        stack.request('POST', '/v1/consent-requests', { key, body: createBody() }),
      ),
    );
    expect(created.every((answer) => answer.status === 202)).toBe(true);
    for (const answer of created) await stack.waitForStatus(key, answer.body.id, 'created');
    // The tenant's feed poller starts with its first consent and needs a read token of its own.
    let after = await stack.stats();
    while (after.altinn.events === before.altinn.events) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await stack.stats();
    }
    expect(after.altinn.create - before.altinn.create).toBe(100);
    // One write token for the 100 creations and one read token for the feed: each signed and fetched once.
    expect(after.maskinporten.token - before.maskinporten.token).toBe(2);
    expect((after.kms.Sign ?? 0) - (before.kms.Sign ?? 0)).toBe(2);
  }, 120_000);
});
