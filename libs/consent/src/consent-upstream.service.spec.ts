import {
  AltinnError,
  type AltinnConsentClient,
  type AltinnConsentRequestDetails,
  type AltinnCreateConsentRequest,
  type CreateConsentResult,
} from '@gw/altinn';
import {
  MaskinportenError,
  type AccessToken,
  type MaskinportenTokenService,
  type TokenRequest,
} from '@gw/maskinporten';
import { Metrics } from '@gw/observability';
import { asTenantId, type Tenant, type TenantsService } from '@gw/tenants';
import { type ConsentRequest } from './consent-request';
import { type ConsentRepository, type TransitionChange } from './consent.repository';
import { type ConsentStatusScheduler } from './consent-status.scheduler';
import { RetryableUpstreamError } from './consent.errors';
import { ConsentUpstreamService } from './consent-upstream.service';
import { FakeSubmissionSignals } from '../testing';

// The worker's decisions with hand-written fakes: what each upstream answer does to the
// request, and that the grant always names the tenant from the registry.

const TENANT_ID = asTenantId('01a211ed-4261-74e3-a08c-59f34a2ade4c');
const CONSENT_ID = '01a211ed-c193-7fcc-8455-ba325c3313c3';
const tenant: Tenant = {
  id: TENANT_ID,
  orgNumber: '313876144',
  name: 'Sparebank Super',
  status: 'active',
  scopes: [],
  delegation: 'none',
  createdAt: '2026-11-25T08:00:00.000Z',
  updatedAt: '2026-11-25T08:00:00.000Z',
};

class FakeConsents {
  consent: ConsentRequest = {
    id: CONSENT_ID,
    tenantId: TENANT_ID,
    from: 'urn:altinn:person:identifier-no:03867199348',
    toOrg: '313876144',
    validTo: new Date(Date.now() + 86_400_000),
    consentRights: [
      { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }] },
    ],
    requestMessage: null,
    redirectUrl: 'https://bank.example/return',
    requiredDelegator: null,
    portalViewMode: null,
    status: 'pending',
    viewUri: null,
    consentedAt: null,
    upstream: null,
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  readonly transitions: TransitionChange[] = [];

  /** The registry's org number of the tenant, as the join in the real repository reads it. */
  tenantOrg = tenant.orgNumber;
  reads = 0;

  find(): Promise<ConsentRequest | undefined> {
    this.reads += 1;
    return Promise.resolve(this.consent);
  }

  findWithTenantOrg(): Promise<{ consent: ConsentRequest; tenantOrg: string } | undefined> {
    this.reads += 1;
    return Promise.resolve({ consent: this.consent, tenantOrg: this.tenantOrg });
  }

  transition(_tenantId: string, _id: string, change: TransitionChange): Promise<ConsentRequest | undefined> {
    if (!change.from.includes(this.consent.status)) return Promise.resolve(undefined);
    this.transitions.push(change);
    this.consent = {
      ...this.consent,
      status: change.to,
      viewUri: change.viewUri ?? this.consent.viewUri,
      upstream: change.upstream === undefined ? this.consent.upstream : change.upstream,
    };
    return Promise.resolve(this.consent);
  }
}

class FakeTokens {
  readonly requests: TokenRequest[] = [];
  readonly invalidated: TokenRequest[] = [];
  failure?: Error;

  accessToken(request: TokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve({
      accessToken: `token-${this.requests.length}`,
      tokenType: 'Bearer',
      scope: request.scopes.join(' '),
      expiresAt: new Date(Date.now() + 120_000),
      expiresIn: 120,
      source: 'fetched',
    });
  }

  invalidate(request: TokenRequest): Promise<void> {
    this.invalidated.push(request);
    return Promise.resolve();
  }
}

class FakeAltinn {
  readonly created: { token: string; body: AltinnCreateConsentRequest }[] = [];
  createAnswers: (CreateConsentResult | Error)[] = [];
  details: AltinnConsentRequestDetails = {
    id: CONSENT_ID,
    from: 'urn:altinn:person:identifier-no:03867199348',
    to: 'urn:altinn:organization:identifier-no:313876144',
    requiredDelegator: null,
    handledBy: 'urn:altinn:organization:identifier-no:310149942',
    validTo: new Date(Date.now() + 86_400_000),
    consentRights: [],
    requestMessage: null,
    status: 'created',
    consented: null,
    redirectUrl: 'https://bank.example/return',
    portalViewMode: null,
    events: [],
    viewUri: `https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=${CONSENT_ID}`,
  };

  createConsentRequest(token: string, body: AltinnCreateConsentRequest): Promise<CreateConsentResult> {
    this.created.push({ token, body });
    const answer = this.createAnswers.shift() ?? { kind: 'created', details: this.details, location: null };
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  getConsentRequest(): Promise<AltinnConsentRequestDetails> {
    return Promise.resolve(this.details);
  }
}

class FakeScheduler {
  readonly scheduled: string[] = [];

  afterCreation(consent: ConsentRequest): Promise<void> {
    this.scheduled.push(consent.id);
    return Promise.resolve();
  }
}

function setUp(metrics?: Metrics) {
  const consents = new FakeConsents();
  const tokens = new FakeTokens();
  const altinn = new FakeAltinn();
  const scheduler = new FakeScheduler();
  const signals = new FakeSubmissionSignals();
  const tenants = { get: () => Promise.resolve(tenant) } as unknown as TenantsService;
  const service = new ConsentUpstreamService(
    consents as unknown as ConsentRepository,
    tenants,
    tokens as unknown as MaskinportenTokenService,
    altinn as unknown as AltinnConsentClient,
    scheduler as unknown as ConsentStatusScheduler,
    signals.asSubmissionSignals(),
    metrics,
  );
  return { service, consents, tokens, altinn, scheduler, signals };
}

describe('ConsentUpstreamService.submit', () => {
  it('announces the answer to a waiting gateway only when the job asks for it', async () => {
    const { service, signals } = setUp();
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('created');
    expect(signals.announced).toEqual([]);
    expect(await service.submit(TENANT_ID, CONSENT_ID, false, 0, true)).toBe('not_pending');
    expect(signals.announced).toEqual([CONSENT_ID]);
  });

  it("asks for a write token with the tenant's org from the registry and sends `to` as the tenant", async () => {
    const { service, tokens, altinn, consents, scheduler } = setUp();
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('created');
    expect(tokens.requests).toEqual([{ scopes: ['altinn:consentrequests.write'], consumerOrg: '313876144' }]);
    expect(altinn.created[0].body).toMatchObject({
      id: CONSENT_ID,
      to: 'urn:altinn:organization:identifier-no:313876144',
    });
    expect(consents.consent).toMatchObject({ status: 'created', viewUri: altinn.details.viewUri });
    expect(scheduler.scheduled).toEqual([CONSENT_ID]);
  });

  it('reads the request once and writes once for a plain creation', async () => {
    const { service, consents } = setUp();
    await service.submit(TENANT_ID, CONSENT_ID, false);
    expect(consents.reads).toBe(1);
    expect(consents.transitions).toHaveLength(1);
  });

  it('names the tenant by the org number the registry holds, not one stored on the request', async () => {
    const { service, tokens, altinn, consents } = setUp();
    consents.consent = { ...consents.consent, toOrg: '999999999' };
    await service.submit(TENANT_ID, CONSENT_ID, false);
    expect(tokens.requests[0].consumerOrg).toBe('313876144');
    expect(altinn.created[0].body.to).toBe('urn:altinn:organization:identifier-no:313876144');
  });

  it('follows Altinn’s 200 for a known id with a GET, never a second create', async () => {
    const { service, altinn, consents } = setUp();
    altinn.createAnswers = [{ kind: 'already_exists', id: CONSENT_ID }];
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('created');
    expect(altinn.created).toHaveLength(1);
    expect(consents.consent.viewUri).toBe(altinn.details.viewUri);
  });

  it('applies what Altinn already knows beyond created (accepted before we recorded the creation)', async () => {
    const { service, altinn, consents } = setUp();
    altinn.details = { ...altinn.details, status: 'accepted', consented: new Date() };
    await service.submit(TENANT_ID, CONSENT_ID, false);
    expect(consents.transitions.map((change) => change.event)).toEqual([
      'consent.created',
      'consent.accepted',
    ]);
  });

  it("marks the request failed with Altinn's problem on a 4xx, without retrying", async () => {
    const { service, altinn, consents } = setUp();
    altinn.createAnswers = [
      new AltinnError('altinn.request_refused', 'AM-00005 invalid resource', {
        status: 400,
        problem: {
          code: 'AM-00005',
          title: 'Invalid resource',
          status: 400,
          validationErrors: [],
          problems: [],
          extensions: {},
        },
      }),
    ];
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('failed');
    expect(consents.consent.status).toBe('failed');
    expect(consents.consent.upstream).toMatchObject({
      source: 'altinn',
      code: 'altinn.request_refused',
      status: 400,
    });
  });

  it("keeps Altinn's problem without its extension members, which may name the person", async () => {
    const { service, altinn, consents } = setUp();
    altinn.createAnswers = [
      new AltinnError('altinn.request_refused', 'AM-00004', {
        status: 400,
        problem: {
          code: 'AM-00004',
          detail: 'The from party is not valid',
          status: 400,
          validationErrors: [],
          problems: [],
          extensions: { fnumber: 'urn:altinn:person:identifier-no:03867199348' },
        },
      }),
    ];
    await service.submit(TENANT_ID, CONSENT_ID, false);
    expect(JSON.stringify(consents.consent.upstream)).not.toContain('03867199348');
    expect(consents.consent.upstream).toMatchObject({ altinnProblem: { code: 'AM-00004', extensions: {} } });
  });

  it('asks the queue to retry a 5xx until the last attempt, which marks the request failed', async () => {
    const { service, altinn, consents } = setUp();
    altinn.createAnswers = [
      new AltinnError('altinn.unavailable', 'Altinn answered 503', { status: 503 }),
      new AltinnError('altinn.unavailable', 'Altinn answered 503', { status: 503 }),
    ];
    await expect(service.submit(TENANT_ID, CONSENT_ID, false)).rejects.toBeInstanceOf(RetryableUpstreamError);
    expect(consents.consent.status).toBe('pending');
    expect(await service.submit(TENANT_ID, CONSENT_ID, true)).toBe('failed');
    expect(consents.consent.upstream).toMatchObject({ source: 'altinn', code: 'altinn.unavailable' });
  });

  it("shows the tenant Altinn's detail, code and field paths of a 4.0.1 validation problem", async () => {
    const { service, altinn, consents } = setUp();
    altinn.createAnswers = [
      new AltinnError('altinn.validation_failed', 'Altinn answered 400 STD-00000', {
        status: 400,
        problem: {
          code: 'STD-00000',
          status: 400,
          detail: 'One or more validation errors occurred.',
          validationErrors: [
            { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['/validTo'] },
          ],
          problems: [],
          extensions: { from: 'urn:altinn:person:identifier-no:03867199348' },
        },
      }),
    ];
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('failed');
    expect(consents.consent.upstream).toMatchObject({
      source: 'altinn',
      code: 'altinn.validation_failed',
      status: 400,
      upstreamCode: 'STD-00000',
      detail: 'One or more validation errors occurred.',
      errors: [{ code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['/validTo'] }],
    });
    expect(JSON.stringify(consents.consent.upstream)).not.toContain('03867199348');
  });

  it('retries a 500 without a code (an unhandled exception) only within its budget, then fails', async () => {
    const { service, altinn, consents } = setUp();
    const crash = () =>
      new AltinnError('altinn.unavailable', 'Altinn answered 500', {
        status: 500,
        maxRetries: 2,
        problem: {
          type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
          title: 'An error occurred while processing your request.',
          status: 500,
          traceId: '00-abc-def-00',
          validationErrors: [],
          problems: [],
          extensions: {},
        },
      });
    altinn.createAnswers = [crash(), crash(), crash()];
    await expect(service.submit(TENANT_ID, CONSENT_ID, false, 0)).rejects.toBeInstanceOf(
      RetryableUpstreamError,
    );
    await expect(service.submit(TENANT_ID, CONSENT_ID, false, 1)).rejects.toBeInstanceOf(
      RetryableUpstreamError,
    );
    expect(await service.submit(TENANT_ID, CONSENT_ID, false, 2)).toBe('failed');
    expect(consents.consent.upstream).toMatchObject({
      code: 'altinn.unavailable',
      status: 500,
      upstreamCode: null,
      detail: 'An error occurred while processing your request.',
      traceId: '00-abc-def-00',
    });
  });

  it('shows the tenant each of several problems Altinn reported together (STD-00001)', async () => {
    const { service, altinn, consents } = setUp();
    const inner = (code: string, detail: string) => ({
      code,
      status: 400,
      detail,
      validationErrors: [],
      problems: [],
      extensions: { key: 'inntektsar' },
    });
    altinn.createAnswers = [
      new AltinnError('altinn.validation_failed', 'Altinn answered 500 STD-00001', {
        status: 500,
        problem: {
          code: 'STD-00001',
          status: 500,
          detail: 'Multiple problems occurred.',
          validationErrors: [],
          problems: [inner('AM-00006', 'Invalid consent metadata'), inner('AM-00008', 'Missing metadata')],
          extensions: {},
        },
      }),
    ];
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('failed');
    expect(consents.consent.upstream).toMatchObject({
      upstreamCode: 'STD-00001',
      detail: 'Multiple problems occurred.',
      problems: [
        { code: 'AM-00006', detail: 'Invalid consent metadata' },
        { code: 'AM-00008', detail: 'Missing metadata' },
      ],
    });
  });

  it("passes Altinn's Retry-After on to the queue", async () => {
    const { service, altinn } = setUp();
    altinn.createAnswers = [
      new AltinnError('altinn.unavailable', 'Altinn answered 429', { status: 429, retryAfterMs: 30_000 }),
    ];
    await expect(service.submit(TENANT_ID, CONSENT_ID, false)).rejects.toMatchObject({
      name: 'RetryableUpstreamError',
      retryAfterMs: 30_000,
    });
  });

  it("passes Maskinporten's Retry-After on to the queue", async () => {
    const { service, tokens } = setUp();
    tokens.failure = new MaskinportenError('maskinporten.unavailable', 'Maskinporten answered 429', {
      status: 429,
      retryAfterMs: 45_000,
    });
    await expect(service.submit(TENANT_ID, CONSENT_ID, false)).rejects.toMatchObject({
      name: 'RetryableUpstreamError',
      retryAfterMs: 45_000,
    });
  });

  it('drops the cached token when Altinn answers 401, so the retry signs a fresh one', async () => {
    const { service, altinn, tokens } = setUp();
    altinn.createAnswers = [new AltinnError('altinn.unauthorized', 'Altinn answered 401', { status: 401 })];
    await service.submit(TENANT_ID, CONSENT_ID, true);
    expect(tokens.invalidated).toEqual([
      { scopes: ['altinn:consentrequests.write'], consumerOrg: '313876144' },
    ]);
  });

  it('fails the request at once when the tenant has not delegated the scope (MP-251)', async () => {
    const { service, tokens, consents, altinn } = setUp();
    tokens.failure = new MaskinportenError('maskinporten.not_delegated', 'not delegated', {
      mpCode: 'MP-251',
    });
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('failed');
    expect(altinn.created).toHaveLength(0);
    expect(consents.consent.upstream).toMatchObject({ source: 'maskinporten', mpCode: 'MP-251' });
  });

  it('does nothing for a request that is no longer pending, but queues its tracking when it is created', async () => {
    const { service, consents, altinn, scheduler } = setUp();
    consents.consent = { ...consents.consent, status: 'created' };
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('not_pending');
    expect(altinn.created).toHaveLength(0);
    expect(scheduler.scheduled).toEqual([CONSENT_ID]);
  });
});

describe('ConsentUpstreamService metrics', () => {
  /** The value of the tenant's series of `name` for `status`, whatever order the labels come in. */
  const value = (text: string, name: string, status: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`))
      .filter((line) => line.includes(`tenant="${TENANT_ID}"`) && line.includes(`status="${status}"`))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)))[0];

  it('counts each status a consent reaches per tenant, and times the answer from creation', async () => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    const { service, altinn } = setUp(metrics);
    altinn.details = { ...altinn.details, status: 'accepted', consented: new Date() };
    await service.submit(TENANT_ID, CONSENT_ID, false);
    const text = await metrics.scrape();
    expect(value(text, 'sgw_consent_outcomes_total', 'created')).toBe(1);
    expect(value(text, 'sgw_consent_outcomes_total', 'accepted')).toBe(1);
    expect(value(text, 'sgw_consent_answer_seconds_count', 'accepted')).toBe(1);
    expect(value(text, 'sgw_consent_answer_seconds_count', 'created')).toBeUndefined();
  });

  it('counts a request Altinn refused as failed', async () => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    const { service, altinn } = setUp(metrics);
    altinn.createAnswers = [
      new AltinnError('altinn.request_refused', 'AM-00005 invalid resource', { status: 400 }),
    ];
    expect(await service.submit(TENANT_ID, CONSENT_ID, false)).toBe('failed');
    expect(value(await metrics.scrape(), 'sgw_consent_outcomes_total', 'failed')).toBe(1);
  });
});
