import { FakeAuditService } from '@gw/audit/testing';
import { until } from '@test/resources';
import { type AccessToken, type TokenCacheReader, type TokenRequest } from '@gw/maskinporten';
import { FakeDataSource } from '@gw/persistence/testing';
import { type ConsentStatusJob, type JobPayloads, QueueName } from '@gw/queue';
import { FakeJobOutcomes, FakeQueue } from '@gw/queue/testing';
import { TenantOffboardingHooks, TenantStatusListeners, TenantsService } from '@gw/tenants';
import { FakeTenantRepository, TENANT_A, TENANT_B } from '@gw/tenants/testing';
import { FakeConsentRepository, FakeSubmissionSignals } from '../testing';
import { type ConsentCaller, ConsentRequestsService } from './consent-requests.service';
import { CONSENT_READ_SCOPE, consentTokenRequest } from './domain/consent-token-request';

// ConsentRequestsService over in-memory fakes: validation before anything is stored, idempotency,
// what is queued under which job id, what happens when the queue is down, and the token rules.

const CALLER: ConsentCaller = TENANT_A;
const OTHER_CALLER: ConsentCaller = TENANT_B;
const TENANT = CALLER.tenantId;
const OTHER = OTHER_CALLER.tenantId;
const PERSON = '03867199348';
const NOW = new Date('2026-01-15T10:00:00Z');
const CLIENT_ID = 'a005e4e7-78b3-42b4-ae69-dc68cc5349eb';

function body(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: `urn:altinn:person:identifier-no:${PERSON}`,
    validTo: '2026-07-07T13:45:00+02:00',
    consentRights: [
      {
        action: ['consent'],
        resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
        metadata: { INNTEKTSAAR: '2024' },
      },
    ],
    redirectUrl: 'https://sparebanksuper.example/lan/samtykke?soknad=4711',
    ...changes,
  };
}

/** The shared token cache as the gateway reads it; the worker's fake puts tokens in. */
class FakeTokenCache implements Pick<TokenCacheReader, 'cached'> {
  private readonly tokens = new Map<string, AccessToken>();

  put(request: TokenRequest, token: AccessToken): void {
    this.tokens.set(JSON.stringify(request), token);
  }

  cached(request: TokenRequest): Promise<AccessToken | undefined> {
    return Promise.resolve(this.tokens.get(JSON.stringify(request)));
  }
}

function tokenFor(scope: string): AccessToken {
  return {
    accessToken: 'eyJhbGciOiJSUzI1NiJ9.consent-token.signature',
    tokenType: 'Bearer',
    scope,
    expiresAt: new Date(NOW.getTime() + 120_000),
    expiresIn: 120,
    source: 'cache',
  };
}

function setup() {
  const db = new FakeDataSource();
  const audit = new FakeAuditService(db);
  const tenantRows = new FakeTenantRepository(db);
  tenantRows.seed({
    id: TENANT,
    orgNumber: CALLER.orgNumber,
    scopes: [{ scope: CONSENT_READ_SCOPE, verifiedAt: NOW.toISOString(), lastError: null }],
  });
  tenantRows.seed({ id: OTHER, orgNumber: OTHER_CALLER.orgNumber });
  const tenants = new TenantsService(
    db.asDataSource(),
    tenantRows.asTenantRepository(),
    audit.asAuditService(),
    new TenantOffboardingHooks(),
    new TenantStatusListeners(),
    new FakeQueue<{ tenantId: string }>(QueueName.DelegationCheck).asQueue(),
  );
  const consents = new FakeConsentRepository(db, audit);
  const tokenCache = new FakeTokenCache();
  const createQueue = new FakeQueue<JobPayloads['consent-create']>(QueueName.ConsentCreate);
  const statusQueue = new FakeQueue<ConsentStatusJob>(QueueName.ConsentStatus);
  const tokenQueue = new FakeQueue<JobPayloads['consent-token']>(QueueName.ConsentToken);
  const jobs = new FakeJobOutcomes();
  const signals = new FakeSubmissionSignals();
  const service = new ConsentRequestsService(
    consents.asConsentRepository(),
    tenants,
    audit.asAuditService(),
    tokenCache as unknown as TokenCacheReader,
    createQueue.asQueue(),
    statusQueue.asQueue(),
    tokenQueue.asQueue(),
    jobs.asJobOutcomes(),
    signals.asSubmissionSignals(),
  );
  return {
    db,
    audit,
    consents,
    tokenCache,
    createQueue,
    statusQueue,
    tokenQueue,
    jobs,
    signals,
    service,
  };
}

describe('ConsentRequestsService.create', () => {
  it('refuses an invalid body with a pointer per field, storing and queuing nothing', async () => {
    const { service, consents, createQueue, audit } = setup();
    const refusal = service.create(
      CALLER,
      body({ from: 'urn:altinn:person:identifier-no:12345678901', redirectUrl: 'javascript:alert(1)' }),
      undefined,
      NOW,
    );
    await expect(refusal).rejects.toMatchObject({
      code: 'http.invalid_request',
      errors: [
        expect.objectContaining({ pointer: '/from' }),
        expect.objectContaining({ pointer: '/redirectUrl' }),
      ],
    });
    expect([consents.stored, createQueue.jobs, audit.records]).toEqual([[], [], []]);
  });

  it('stores the request pending for the calling tenant and queues its creation under the consent id', async () => {
    const { service, consents, createQueue } = setup();
    const { consent, replayed, job } = await service.create(CALLER, body(), undefined, NOW);

    expect(replayed).toBe(false);
    expect(consent).toMatchObject({
      tenantId: TENANT,
      toOrg: CALLER.orgNumber,
      status: 'pending',
      validTo: new Date('2026-07-07T11:45:00Z'),
    });
    expect(consents.eventsOf(consent.id)).toEqual(['consent.pending']);
    expect(createQueue.jobs.map((queued) => [queued.id, queued.data])).toEqual([
      [consent.id, { tenantId: TENANT, consentId: consent.id }],
    ]);
    expect((job as unknown as { id: string }).id).toBe(consent.id);
  });

  it('keeps a client-chosen id and refuses a second request with it as consent.duplicate_id', async () => {
    const { service, createQueue } = setup();
    const { consent } = await service.create(CALLER, body({ id: CLIENT_ID.toUpperCase() }), undefined, NOW);
    expect(consent.id).toBe(CLIENT_ID);
    await expect(service.create(CALLER, body({ id: CLIENT_ID }), undefined, NOW)).rejects.toMatchObject({
      code: 'consent.duplicate_id',
    });
    expect(createQueue.jobs).toHaveLength(1);
  });

  it('audits the creation as the calling key with the resources, never the person', async () => {
    const { service, audit } = setup();
    const { consent } = await service.create(CALLER, body(), undefined, NOW);
    expect(audit.records).toEqual([
      {
        actor: CALLER.actor,
        requestId: CALLER.requestId,
        tenantId: TENANT,
        action: 'consent_request.created',
        target: `consent_request:${consent.id}`,
        details: { validTo: '2026-07-07T11:45:00.000Z', resources: ['ttd_inntektsopplysninger'] },
      },
    ]);
    expect(JSON.stringify(audit.records)).not.toContain(PERSON);
  });

  it('answers a repeated Idempotency-Key with the same body (in any key order) with the first request, queuing nothing more', async () => {
    const { service, consents, createQueue } = setup();
    const first = await service.create(CALLER, body(), 'key-1', NOW);
    const reordered = Object.fromEntries(Object.entries(body()).reverse());

    const again = await service.create(CALLER, reordered, 'key-1', NOW);

    expect(again).toEqual({ consent: first.consent, replayed: true });
    expect(consents.stored).toHaveLength(1);
    expect(createQueue.jobs).toHaveLength(1);
  });

  it('refuses a repeated Idempotency-Key with another body as consent.idempotency_key_mismatch', async () => {
    const { service, consents } = setup();
    await service.create(CALLER, body(), 'key-1', NOW);
    const other = body({ redirectUrl: 'https://sparebanksuper.example/other' });
    await expect(service.create(CALLER, other, 'key-1', NOW)).rejects.toMatchObject({
      code: 'consent.idempotency_key_mismatch',
    });
    expect(consents.stored).toHaveLength(1);
  });

  it('refuses an Idempotency-Key whose first request is still running as consent.idempotency_key_in_flight', async () => {
    const { service, consents, createQueue } = setup();
    consents.holdKey(TENANT, 'key-1');
    await expect(service.create(CALLER, body(), 'key-1', NOW)).rejects.toMatchObject({
      code: 'consent.idempotency_key_in_flight',
    });
    expect([consents.stored, createQueue.jobs]).toEqual([[], []]);
  });

  it('leaves nothing behind when the creation cannot be queued, and records that the request was discarded', async () => {
    const { service, consents, createQueue, audit } = setup();
    createQueue.unavailable = true;

    await expect(service.create(CALLER, body({ id: CLIENT_ID }), 'key-1', NOW)).rejects.toMatchObject({
      code: 'consent.not_queued',
    });

    expect(consents.stored).toEqual([]);
    expect(consents.eventsOf(CLIENT_ID)).toEqual([]);
    expect(audit.records.map((record) => [record.action, record.target, record.details])).toEqual([
      ['consent_request.created', `consent_request:${CLIENT_ID}`, expect.anything()],
      ['consent_request.discarded', `consent_request:${CLIENT_ID}`, { reason: 'not_queued' }],
    ]);
    // The key and the id are free again: the client's retry goes through.
    createQueue.unavailable = false;
    const retried = await service.create(CALLER, body({ id: CLIENT_ID }), 'key-1', NOW);
    expect([retried.replayed, retried.consent.id]).toEqual([false, CLIENT_ID]);
  });
});

describe('ConsentRequestsService reads', () => {
  it("answers consent.not_found for another tenant's request", async () => {
    const { service } = setup();
    const { consent } = await service.create(CALLER, body(), undefined, NOW);
    await expect(service.get(OTHER, consent.id)).rejects.toMatchObject({ code: 'consent.not_found' });
  });

  it('waits for the creation job and answers the request as the worker left it', async () => {
    const { service, consents, jobs } = setup();
    const { consent, job } = await service.create(CALLER, body(), undefined, NOW);
    jobs.work(QueueName.ConsentCreate, (queued) => {
      consents.change((queued.data as { consentId: string }).consentId, {
        status: 'created',
        viewUri: 'https://altinn.example/view',
      });
      return { kind: 'finished' };
    });
    expect(await service.waitForSubmission(TENANT, consent.id, 5, job)).toMatchObject({ status: 'created' });
  });

  it('waits for the announced answer and asks the worker to announce it (Prefer: wait)', async () => {
    const { service, consents, createQueue, signals } = setup();
    const waiting = service.createAndWait(CALLER, body(), undefined, 5, NOW);
    await until('the creation job', () => createQueue.jobs.length === 1);
    const [queued] = createQueue.jobs;
    expect(queued.data).toMatchObject({ tenantId: TENANT, announce: true });
    consents.change(queued.data.consentId, { status: 'created', viewUri: 'https://altinn.example/view' });
    await signals.announce(queued.data.consentId);
    expect(await waiting).toMatchObject({ replayed: false, consent: { status: 'created' } });
  });

  it('answers the request as it is when no announcement comes in time', async () => {
    const { service, createQueue } = setup();
    const { consent } = await service.createAndWait(CALLER, body(), undefined, 0.05, NOW);
    expect(consent.status).toBe('pending');
    expect(createQueue.jobs).toHaveLength(1);
  });

  it('does not ask for an announcement without a wait', async () => {
    const { service, createQueue } = setup();
    await service.create(CALLER, body(), undefined, NOW);
    expect(createQueue.jobs[0].data).not.toHaveProperty('announce');
  });

  it('finds the creation job by the consent id when none is handed in', async () => {
    const { service, consents, jobs } = setup();
    const { consent } = await service.create(CALLER, body(), undefined, NOW);
    jobs.work(QueueName.ConsentCreate, (queued) => {
      consents.change(queued.id, { status: 'failed' });
      return { kind: 'failed', reason: 'altinn.invalid_request' };
    });
    expect(await service.waitForSubmission(TENANT, consent.id, 5)).toMatchObject({ status: 'failed' });
  });

  it('answers a pending or failed request without asking Altinn for its status', async () => {
    const { service, consents, statusQueue } = setup();
    const { consent } = await service.create(CALLER, body(), undefined, NOW);
    expect((await service.refresh(TENANT, consent.id)).status).toBe('pending');
    consents.change(consent.id, { status: 'failed' });
    expect((await service.refresh(TENANT, consent.id)).status).toBe('failed');
    expect(statusQueue.jobs).toEqual([]);
  });

  it('refreshes a created request through the status queue and answers what the worker found', async () => {
    const { service, consents, statusQueue, jobs } = setup();
    const { consent } = await service.create(CALLER, body(), undefined, NOW);
    consents.change(consent.id, { status: 'created' });
    jobs.work(QueueName.ConsentStatus, () => {
      consents.change(consent.id, { status: 'accepted' });
      return { kind: 'finished' };
    });

    expect((await service.refresh(TENANT, consent.id)).status).toBe('accepted');
    expect(statusQueue.jobs.map((job) => job.data)).toEqual([
      { kind: 'refresh', tenantId: TENANT, consentId: consent.id },
    ]);
  });

  it("lists the tenant's requests by last change, a page at a time", async () => {
    const { service, consents } = setup();
    const created = [];
    for (let i = 0; i < 3; i += 1)
      created.push((await service.create(CALLER, body(), undefined, NOW)).consent);
    await service.create(OTHER_CALLER, body(), undefined, NOW);
    consents.change(created[0].id, { status: 'created', updatedAt: new Date('2026-01-15T11:00:00Z') });

    const first = await service.list(TENANT, { limit: 2 });
    const after = JSON.parse(Buffer.from(first.next!, 'base64url').toString('utf8')) as {
      updatedAt: string;
      id: string;
    };
    const second = await service.list(TENANT, { limit: 2, after });

    expect([...first.data, ...second.data].map((consent) => consent.id)).toEqual(
      [...consents.stored]
        .filter((consent) => consent.tenantId === TENANT)
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1))
        .map((consent) => consent.id),
    );
    expect([first.data.length, second.data.length, second.next]).toEqual([2, 1, null]);
  });
});

describe('ConsentRequestsService.issueToken', () => {
  async function accepted(changes: Record<string, unknown> = {}) {
    const context = setup();
    const { consent } = await context.service.create(CALLER, body(), undefined, NOW);
    const current = context.consents.change(consent.id, { status: 'accepted', ...changes });
    const request = consentTokenRequest(current, CALLER.orgNumber, CONSENT_READ_SCOPE);
    return { ...context, consent: current, request };
  }

  it('hands out a cached token without a job, and audits the issue without the token', async () => {
    const { service, tokenCache, tokenQueue, audit, consent, request } = await accepted();
    tokenCache.put(request, tokenFor(CONSENT_READ_SCOPE));

    const token = await service.issueToken(CALLER, consent.id, CONSENT_READ_SCOPE, NOW);

    expect(token).toEqual({
      access_token: 'eyJhbGciOiJSUzI1NiJ9.consent-token.signature',
      token_type: 'Bearer',
      expires_in: 120,
      scope: CONSENT_READ_SCOPE,
    });
    expect(tokenQueue.jobs).toEqual([]);
    expect(audit.records.at(-1)).toEqual({
      actor: CALLER.actor,
      requestId: CALLER.requestId,
      tenantId: TENANT,
      action: 'consent_token.issued',
      target: `consent_request:${consent.id}`,
      details: { scope: CONSENT_READ_SCOPE, expiresAt: new Date(NOW.getTime() + 120_000).toISOString() },
    });
    expect(JSON.stringify(audit.records)).not.toContain('consent-token');
  });

  it('has a worker fetch a missing token into the cache, queued with ids and the scope only', async () => {
    const { service, tokenCache, tokenQueue, jobs, consent, request } = await accepted();
    jobs.work(QueueName.ConsentToken, () => {
      tokenCache.put(request, tokenFor(CONSENT_READ_SCOPE));
      return { kind: 'finished' };
    });

    const token = await service.issueToken(CALLER, consent.id, CONSENT_READ_SCOPE, NOW);

    expect(token.access_token).toBe('eyJhbGciOiJSUzI1NiJ9.consent-token.signature');
    expect(tokenQueue.jobs.map((job) => job.data)).toEqual([
      { tenantId: TENANT, consentId: consent.id, scope: CONSENT_READ_SCOPE },
    ]);
  });

  it("refuses with consent.upstream_refused naming the worker's reason, and audits no issue", async () => {
    const { service, jobs, audit, consent } = await accepted();
    jobs.work(QueueName.ConsentToken, () => ({ kind: 'failed', reason: 'maskinporten.consent_rejected' }));
    const refusal = service.issueToken(CALLER, consent.id, CONSENT_READ_SCOPE, NOW);
    await expect(refusal).rejects.toMatchObject({
      code: 'consent.upstream_refused',
      message: expect.stringContaining('maskinporten.consent_rejected'),
    });
    expect(audit.actions).not.toContain('consent_token.issued');
  });

  it('answers consent.upstream_unavailable when no token arrives in time', async () => {
    const { service, consent } = await accepted();
    await expect(service.issueToken(CALLER, consent.id, CONSENT_READ_SCOPE, NOW)).rejects.toMatchObject({
      code: 'consent.upstream_unavailable',
    });
  });

  it('refuses a scope the tenant has not delegated with consent.scope_not_delegated, naming it', async () => {
    const { service, tokenQueue, consent } = await accepted();
    await expect(service.issueToken(CALLER, consent.id, 'altinn:other.scope', NOW)).rejects.toMatchObject({
      code: 'consent.scope_not_delegated',
      problemExtensions: { scope: 'altinn:other.scope' },
    });
    expect(tokenQueue.jobs).toEqual([]);
  });

  it.each([
    ['consent.not_accepted', { status: 'created' }],
    ['consent.revoked', { status: 'revoked' }],
    ['consent.expired', { validTo: NOW }],
  ])('refuses with %s and the consent status, queuing nothing', async (code, changes) => {
    const { service, tokenQueue, consent } = await accepted(changes);
    await expect(service.issueToken(CALLER, consent.id, CONSENT_READ_SCOPE, NOW)).rejects.toMatchObject({
      code,
      problemExtensions: { consentStatus: consent.status },
    });
    expect(tokenQueue.jobs).toEqual([]);
  });

  it("answers consent.not_found for another tenant's consent", async () => {
    const { service, consent } = await accepted();
    await expect(service.issueToken(OTHER_CALLER, consent.id, CONSENT_READ_SCOPE, NOW)).rejects.toMatchObject(
      { code: 'consent.not_found' },
    );
  });
});
