import { randomUUID } from 'node:crypto';
import { type KeyObject } from 'node:crypto';
import { generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { iso6523, type MaskinportenAccessTokenClaims } from '../src/core/access-token';
import { IssuerKey } from '../src/core/issuer-key';
import { SimClock } from '../src/core/sim-clock';

// docs/upstream-contract.md §2 over real HTTP: the simulated Altinn enterprise consent API, with bearer
// tokens minted directly by the simulated Maskinporten's key (no dependency on its /token endpoint).

const PATH = '/accessmanagement/api/v1/enterprise/consentrequests';
const TENANT = '313876144';
const PROVIDER = '310149942';
const OTHER_TENANT = '974760673';
const PERSON = '03867199348';
const OTHER_PERSON = '01025161013';
const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';
const orgUrn = (org: string) => `urn:altinn:organization:identifier-no:${org}`;
const personUrn = (person: string) => `urn:altinn:person:identifier-no:${person}`;

interface TokenOptions {
  consumer?: unknown;
  supplier?: unknown;
  scope?: string;
  issuer?: string;
  expiresIn?: number;
  key?: KeyLike | KeyObject;
  kid?: string;
}

async function mintToken(sim: TestSimulator, options: TokenOptions = {}): Promise<string> {
  const issuerKey = sim.app.get(IssuerKey);
  const now = sim.app.get(SimClock).nowSeconds();
  const claims: Omit<MaskinportenAccessTokenClaims, 'consumer' | 'supplier'> & Record<string, unknown> = {
    iss: options.issuer ?? sim.issuer,
    client_id: 'sgw-local-client',
    client_amr: 'private_key_jwt',
    scope: options.scope ?? `${WRITE} ${READ}`,
    token_type: 'Bearer',
    iat: now,
    exp: now + (options.expiresIn ?? 120),
    jti: randomUUID(),
    consumer: 'consumer' in options ? options.consumer : iso6523(TENANT),
    supplier: 'supplier' in options ? options.supplier : iso6523(PROVIDER),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? issuerKey.kid })
    .sign(options.key ?? issuerKey.privateKey);
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

interface CallOptions {
  token?: string | null;
  tokenOptions?: TokenOptions;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

async function call(
  sim: TestSimulator,
  method: string,
  pathOrUrl: string,
  options: CallOptions = {},
): Promise<Answer> {
  const token = options.token === undefined ? await mintToken(sim, options.tokenOptions) : options.token;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.baseUrl}${pathOrUrl}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? (JSON.parse(text) as never) : {},
  };
}

/** Whole seconds from the simulated now, as ISO 8601 (`…:00.000Z`). */
function inFuture(sim: TestSimulator, seconds = 86_400): string {
  const nowSeconds = sim.app.get(SimClock).nowSeconds();
  return new Date((nowSeconds + seconds) * 1000).toISOString();
}

function consentBody(sim: TestSimulator, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    from: personUrn(PERSON),
    to: orgUrn(TENANT),
    validTo: inFuture(sim),
    consentRights: [
      {
        action: ['consent'],
        resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
        metadata: { INNTEKTSAAR: '2024' },
      },
    ],
    redirectUrl: 'https://bank.example/done',
    ...changes,
  };
}

function rightWith(changes: Record<string, unknown>): Record<string, unknown>[] {
  return [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2024' },
      ...changes,
    },
  ];
}

const create = (sim: TestSimulator, body: unknown, options: CallOptions = {}) =>
  call(sim, 'POST', PATH, { ...options, body });

/**
 * Altinn.Authorization.ProblemDetails 4.0.1 behind ASP.NET's TypedResults.Problem: `type` and `title` are the
 * status's defaults (RFC 9110 section, reason phrase), `detail` the descriptor's text, then `code`.
 */
const STATUS_DEFAULTS: Record<number, { type: string; title: string }> = {
  400: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'Bad Request' },
  403: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.4', title: 'Forbidden' },
  404: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title: 'Not Found' },
  500: {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
    title: 'An error occurred while processing your request.',
  },
};

function expectProblem(answer: Answer, status: number, code: string, detail?: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({
    ...STATUS_DEFAULTS[status],
    status,
    detail: detail ?? expect.any(String),
  });
  expect(answer.body).not.toHaveProperty('traceId');
}

function expectValidationError(answer: Answer, code: string, path: string): void {
  expectProblem(answer, 400, 'STD-00000', 'One or more validation errors occurred.');
  expect(answer.body.validationErrors).toEqual([{ code, detail: expect.any(String), paths: [path] }]);
}

/** ASP.NET's own 400 for a body or query that does not bind: an `errors` map, no `code`. */
function expectModelState(answer: Answer, errors: Record<string, unknown>): void {
  expect(answer.status).toBe(400);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toEqual({
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status: 400,
    errors,
    traceId: expect.any(String),
  });
}

/** System.Text.Json stopped at `path`: that member and the parameter's own required error. */
function jsonFailure(path: string): Record<string, unknown> {
  return { consentRequest: ['The consentRequest field is required.'], [path]: [expect.any(String)] };
}

function expectEmpty(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.text).toBe('');
  expect(answer.headers.get('content-type')).toBeNull();
}

describe('simulated Altinn consent API', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  describe('create', () => {
    it('accepts a realistic request body verbatim and answers 201 with Location and the details', async () => {
      const id = randomUUID();
      const validTo = inFuture(sim, 30 * 86_400);
      const answer = await call(sim, 'POST', PATH, {
        rawBody: `{
          "id": "${id}",
          "from": "urn:altinn:person:identifier-no:03867199348",
          "to": "urn:altinn:organization:identifier-no:313876144",
          "validTo": "${validTo}",
          "consentRights": [
            {
              "action": ["consent"],
              "resource": [{ "type": "urn:altinn:resource", "value": "ttd_inntektsopplysninger" }],
              "metaData": { "INNTEKTSAAR": "2024" }
            }
          ],
          "requestMessage": {
            "nb": "Sparebank Super ber om å hente inntektsopplysningene dine for å behandle lånesøknaden.",
            "en": "Sparebank Super asks to fetch your income information to process your loan application."
          },
          "redirectUrl": "https://sparebanksuper.example/lan/samtykke?soknad=4711"
        }`,
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('location')).toBe(`${sim.baseUrl}${PATH}/${id}`);
      expect(answer.body).toEqual({
        id,
        from: personUrn(PERSON),
        to: orgUrn(TENANT),
        requiredDelegator: null,
        handledBy: orgUrn(PROVIDER),
        validTo: validTo.replace('.000Z', '+00:00'),
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAAR: '2024' },
          },
        ],
        requestMessage: {
          nb: 'Sparebank Super ber om å hente inntektsopplysningene dine for å behandle lånesøknaden.',
          en: 'Sparebank Super asks to fetch your income information to process your loan application.',
        },
        status: 'Created',
        consented: null,
        redirectUrl: 'https://sparebanksuper.example/lan/samtykke?soknad=4711',
        consentRequestEvents: [
          {
            consentEventID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/),
            created: expect.stringMatching(/\+00:00$/),
            performedBy: orgUrn(TENANT),
            eventType: 'Created',
            consentRequestID: id,
          },
        ],
        viewUri: `https://am.ui.127.0.0.1/accessmanagement/ui/consent/request?id=${id}`,
        portalViewMode: 'Hide',
      });
    });

    it("accepts the Altinn docs' on-behalf-of example verbatim (comments removed) on the docs' date", async () => {
      // content/authorization/guides/system-vendor/consent/behalf-of (altinn-studio-docs): its validTo
      // (2026-07-07) has passed, so the simulated clock goes back to the page's date (2026-01-15).
      const offsetSeconds = Math.round((Date.parse('2026-01-15T10:00:00Z') - Date.now()) / 1000);
      await sim.control('PUT', '/_sim/clock', { offsetSeconds });
      try {
        const answer = await call(sim, 'POST', `${PATH}/`, {
          rawBody: `{
            "id": "a005e4e7-78b3-42b4-ce69-dc68cc5349eb",
            "from": "urn:altinn:person:identifier-no:03867199348",
            "to": "urn:altinn:organization:identifier-no:313876144",
            "validTo": "2026-07-07T13:45:00.0000000+00:00",
            "consentRights": [
              {
                "action": ["consent"],
                "resource": [
                  {
                    "type": "urn:altinn:resource",
                    "value": "enkelt-samtykke"
                  }
                ],
                "metaData": {
                  "simpletag": "2026"
                }
              }
            ],
            "redirectUrl": "https://altinn.no"
          }`,
        });
        expect(answer.status).toBe(201);
        expect(answer.body).toMatchObject({
          id: 'a005e4e7-78b3-42b4-ce69-dc68cc5349eb',
          validTo: '2026-07-07T13:45:00+00:00',
          consentRights: [{ metadata: { simpletag: '2026' } }],
          portalViewMode: 'Hide',
        });
      } finally {
        await sim.control('PUT', '/_sim/clock', { offsetSeconds: 0 });
      }
    });

    it('reads property names case-insensitively and a lower-case view mode', async () => {
      const body = consentBody(sim);
      const answer = await create(sim, {
        ID: body.id,
        From: body.from,
        TO: body.to,
        validto: body.validTo,
        ConsentRights: [
          {
            Action: ['consent'],
            Resource: [{ Type: 'urn:altinn:resource', Value: 'enkelt-samtykke' }],
            METADATA: { SimpleTag: 'x' },
          },
        ],
        redirecturl: 'no.sparebanksuper.app://samtykke',
        portalViewMode: 'show',
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        portalViewMode: 'Show',
        redirectUrl: 'no.sparebanksuper.app://samtykke',
      });
    });

    it('accepts an organisation as the party that consents, and a required delegator', async () => {
      const answer = await create(
        sim,
        consentBody(sim, { from: orgUrn(OTHER_TENANT), requiredDelegator: personUrn(PERSON) }),
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ from: orgUrn(OTHER_TENANT), requiredDelegator: personUrn(PERSON) });
    });

    it('answers the same id with the same parties with 200 and the stored shape, creating nothing', async () => {
      const body = consentBody(sim);
      expect((await create(sim, body)).status).toBe(201);
      const again = await create(sim, { ...body, redirectUrl: 'https://elsewhere.example/' });
      expect(again.status).toBe(200);
      expect(again.headers.get('location')).toBeNull();
      expect(again.body).toMatchObject({
        id: body.id,
        consentRequestStatus: 'Created',
        redirectUrl: 'https://bank.example/done',
        templateId: 'default_v1',
      });
      expect(again.body).not.toHaveProperty('status');
      const consent = await sim.control<{ events: unknown[] }>('GET', `/_sim/consents/${String(body.id)}`);
      expect(consent.events).toHaveLength(1);
    });

    it('refuses the same id with another party that consents: 400 AM-00016', async () => {
      const body = consentBody(sim);
      expect((await create(sim, body)).status).toBe(201);
      const answer = await create(sim, { ...body, from: personUrn(OTHER_PERSON) });
      expectProblem(answer, 400, 'AM-00016');
      expect(answer.body.requestId).toBe(body.id);
    });

    it('refuses the same id from another consumer: 400 AM-00016', async () => {
      const body = consentBody(sim);
      expect((await create(sim, body)).status).toBe(201);
      const answer = await create(
        sim,
        { ...body, to: orgUrn(OTHER_TENANT) },
        { tokenOptions: { consumer: iso6523(OTHER_TENANT) } },
      );
      expectProblem(answer, 400, 'AM-00016');
    });
  });

  describe('create refuses', () => {
    it('a request without Authorization: 401, empty body, a Bearer challenge', async () => {
      const answer = await create(sim, consentBody(sim), { token: null });
      expectEmpty(answer, 401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('a token signed by another key: 401, empty body', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const answer = await create(sim, consentBody(sim), { tokenOptions: { key: privateKey } });
      expectEmpty(answer, 401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it('a token of another issuer: 401, empty body', async () => {
      expectEmpty(
        await create(sim, consentBody(sim), { tokenOptions: { issuer: 'https://test.maskinporten.no/' } }),
        401,
      );
    });

    it('a token that expired by the simulated clock: 401, empty body', async () => {
      expectEmpty(await create(sim, consentBody(sim), { tokenOptions: { expiresIn: -1 } }), 401);
    });

    it('a token whose kid is not the issuer key: 401, empty body', async () => {
      expectEmpty(await create(sim, consentBody(sim), { tokenOptions: { kid: 'another-key' } }), 401);
    });

    it('a token whose consumer is not an iso6523-actorid-upis party: 401, empty body', async () => {
      const consumer = { authority: 'urn:oasis:names:tc:ebcore:partyid-type:iso6523', ID: `0192:${TENANT}` };
      expectEmpty(await create(sim, consentBody(sim), { tokenOptions: { consumer } }), 401);
    });

    it('a token with only the read scope: 403, empty body', async () => {
      expectEmpty(await create(sim, consentBody(sim), { tokenOptions: { scope: READ } }), 403);
    });

    it('a `to` other than the token consumer: 403, empty body', async () => {
      expectEmpty(await create(sim, consentBody(sim, { to: orgUrn(OTHER_TENANT) })), 403);
    });

    it('a body that is not JSON: 415', async () => {
      const answer = await call(sim, 'POST', PATH, {
        rawBody: 'id=1',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(answer.status).toBe(415);
    });

    // ConsentRequestDto's `required` members (Altinn.Authorization.Api.Contracts/Consent/ConsentRequestDto.cs)
    it('a missing required property: ASP.NET 400 with the errors map at $', async () => {
      const { redirectUrl: _omitted, ...body } = consentBody(sim);
      expectModelState(await create(sim, body), jsonFailure('$'));
    });

    it('an id that is not a UUID: ASP.NET 400 at $.id', async () => {
      expectModelState(await create(sim, consentBody(sim, { id: '4711' })), jsonFailure('$.id'));
    });

    it('a validTo of the wrong JSON type: ASP.NET 400 at $.validTo', async () => {
      const answer = await create(sim, consentBody(sim, { validTo: 20300101 }));
      expectModelState(answer, jsonFailure('$.validTo'));
      expect(String((answer.body.errors as Record<string, string[]>)['$.validTo'][0])).toMatch(
        /could not be converted to System\.DateTimeOffset/,
      );
    });

    it('a null redirectUrl: ASP.NET 400 naming the model member', async () => {
      expectModelState(await create(sim, consentBody(sim, { redirectUrl: null })), {
        RedirectUrl: ['The RedirectUrl field is required.'],
      });
    });

    it('a person number with a wrong check digit: ASP.NET 400 at $.from', async () => {
      const answer = await create(sim, consentBody(sim, { from: personUrn('03867199349') }));
      expectModelState(answer, jsonFailure('$.from'));
    });

    it('an organisation number with a wrong check digit: ASP.NET 400 at $.from', async () => {
      const answer = await create(sim, consentBody(sim, { from: orgUrn('313876145') }));
      expectModelState(answer, jsonFailure('$.from'));
    });

    // The enterprise ConsentController authorises each right through `Resource[0]` before the service
    // validates: an empty list throws, and Altinn's error endpoint answers ASP.NET's 500.
    it('a right with no resources: 500 as ASP.NET answers an unhandled exception, without code', async () => {
      const body = consentBody(sim, { consentRights: rightWith({ resource: [] }) });
      const answer = await create(sim, body);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ ...STATUS_DEFAULTS[500], status: 500, traceId: expect.any(String) });
      expect((await call(sim, 'GET', `${PATH}/${String(body.id)}`)).status).toBe(404);
    });

    it('a person the register does not know: 400 AM-00004', async () => {
      await sim.control('POST', '/_sim/unknown-parties', { identifier: '13896396174' });
      const answer = await create(sim, consentBody(sim, { from: personUrn('13896396174') }));
      expectProblem(answer, 400, 'AM-00004');
      expect(answer.body.fnumber).toBe(personUrn('13896396174'));
    });

    it('an organisation the register does not know: 400 AM-00003', async () => {
      await sim.control('POST', '/_sim/unknown-parties', { identifier: '923456783' });
      const answer = await create(sim, consentBody(sim, { from: orgUrn('923456783') }));
      expectProblem(answer, 400, 'AM-00003');
      expect(answer.body.orgnr).toBe(orgUrn('923456783'));
    });

    it('reads a validTo without offset as UTC, as DateTimeOffset binding on a UTC host does', async () => {
      const answer = await create(sim, consentBody(sim, { validTo: '2030-01-01T00:00:00' }));
      expect(answer.status).toBe(201);
      expect(answer.body.validTo).toBe('2030-01-01T00:00:00+00:00');
    });

    it('a validTo that is not in the future: 400 AM.VLD-00022', async () => {
      const answer = await create(sim, consentBody(sim, { validTo: inFuture(sim, -1) }));
      expectValidationError(answer, 'AM.VLD-00022', 'ValidTo');
    });

    it('no consent rights: 400 AM.VLD-00023', async () => {
      expectValidationError(
        await create(sim, consentBody(sim, { consentRights: [] })),
        'AM.VLD-00023',
        'Resource',
      );
    });

    it('a right without actions: 400 STD.VLD-00000', async () => {
      const answer = await create(sim, consentBody(sim, { consentRights: rightWith({ action: [] }) }));
      expectValidationError(answer, 'STD.VLD-00000', '/consentRight/0/action');
    });

    it('a right with two resource attributes: 400 AM-00005', async () => {
      const attribute = { type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' };
      const answer = await create(
        sim,
        consentBody(sim, { consentRights: rightWith({ resource: [attribute, attribute] }) }),
      );
      expectProblem(answer, 400, 'AM-00005');
    });

    it('a resource the Resource Registry does not have: 400 AM-00005', async () => {
      const resource = [{ type: 'urn:altinn:resource', value: 'finnes-ikke' }];
      expectProblem(
        await create(sim, consentBody(sim, { consentRights: rightWith({ resource, metadata: null }) })),
        400,
        'AM-00005',
      );
    });

    it('rights on resources of different templates: 400 AM-00009', async () => {
      await sim.control('POST', '/_sim/resources', {
        id: 'annen-mal',
        metadataKeys: [],
        template: 'other_v1',
      });
      const rights = [
        ...rightWith({}),
        { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'annen-mal' }] },
      ];
      expectProblem(await create(sim, consentBody(sim, { consentRights: rights })), 400, 'AM-00009');
    });

    it('a metadata key the resource does not register: 400 AM-00006', async () => {
      const answer = await create(
        sim,
        consentBody(sim, { consentRights: rightWith({ metadata: { INNTEKTSAAR: '2024', Formue: 'ja' } }) }),
      );
      expectProblem(answer, 400, 'AM-00006');
      expect(answer.body.key).toBe('formue');
    });

    it('an empty metadata value: 400 AM-00007', async () => {
      const answer = await create(
        sim,
        consentBody(sim, { consentRights: rightWith({ metadata: { INNTEKTSAAR: '' } }) }),
      );
      expectProblem(answer, 400, 'AM-00007');
    });

    it('a registered metadata key left out: 400 AM-00008', async () => {
      const answer = await create(sim, consentBody(sim, { consentRights: rightWith({ metadata: null }) }));
      expectProblem(answer, 400, 'AM-00008');
      expect(answer.body.key).toBe('inntektsaar');
    });

    it('several problems together (a misspelt key): HTTP 500 STD-00001 listing them', async () => {
      const answer = await create(
        sim,
        consentBody(sim, { consentRights: rightWith({ metadata: { INNTEKTSAR: '2024' } }) }),
      );
      expectProblem(answer, 500, 'STD-00001');
      expect(answer.body.problems).toEqual([
        { status: 400, detail: 'Invalid consent metadata', code: 'AM-00006', key: 'inntektsar' },
        { status: 400, detail: 'Missing metadata', code: 'AM-00008', key: 'inntektsaar' },
      ]);
    });

    it('a redirect URL that is not absolute: 400 AM.VLD-00027', async () => {
      const answer = await create(sim, consentBody(sim, { redirectUrl: '/lan/samtykke' }));
      expectValidationError(answer, 'AM.VLD-00027', 'RedirectUrl');
    });

    it('ignores handledBy and templateId in the body, as System.Text.Json ignores unknown members', async () => {
      const answer = await create(
        sim,
        consentBody(sim, { handledBy: orgUrn(OTHER_TENANT), templateId: 'other_v1' }),
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ handledBy: orgUrn(PROVIDER) });
    });

    it('accepts a request message in any language (a dictionary in Altinn’s contract)', async () => {
      const answer = await create(sim, consentBody(sim, { requestMessage: { sv: 'Hej' } }));
      expect(answer.status).toBe(201);
      expect(answer.body.requestMessage).toEqual({ sv: 'Hej' });
    });

    it('a portal view mode other than Hide or Show: ASP.NET 400 at $.portalViewMode', async () => {
      const answer = await create(sim, consentBody(sim, { portalViewMode: 'Visible' }));
      expectModelState(answer, jsonFailure('$.portalViewMode'));
    });

    it('accepts a `to` other than the consumer with altinn:consentrequests.org, the consumer as handledBy', async () => {
      const answer = await create(sim, consentBody(sim, { to: orgUrn(OTHER_TENANT) }), {
        tokenOptions: { scope: 'altinn:consentrequests.org' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ to: orgUrn(OTHER_TENANT), handledBy: orgUrn(TENANT) });
    });
  });

  describe('get', () => {
    it('answers the details to a read-only token', async () => {
      const body = consentBody(sim);
      const created = await create(sim, body);
      const answer = await call(sim, 'GET', `${PATH}/${String(body.id)}`, { tokenOptions: { scope: READ } });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(created.body);
    });

    it('shows the person’s acceptance: Accepted, consented, and the Accepted event', async () => {
      const body = consentBody(sim);
      await create(sim, body);
      await sim.control('POST', `/_sim/consents/${String(body.id)}/accept`);
      const answer = await call(sim, 'GET', `${PATH}/${String(body.id)}`);
      expect(answer.body).toMatchObject({
        status: 'Accepted',
        consented: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*\+00:00$/),
        consentRequestEvents: [
          { eventType: 'Created', performedBy: orgUrn(TENANT) },
          { eventType: 'Accepted', performedBy: personUrn(PERSON) },
        ],
      });
    });

    it('keeps the status past validTo and appends a synthetic Expired event that the feed never shows', async () => {
      const body = consentBody(sim, { validTo: inFuture(sim, 60) });
      await create(sim, body);
      await sim.control('POST', `/_sim/consents/${String(body.id)}/accept`);
      await sim.control('PUT', '/_sim/clock', { offsetSeconds: 120 });
      try {
        const answer = await call(sim, 'GET', `${PATH}/${String(body.id)}`);
        expect(answer.body.status).toBe('Accepted');
        expect(answer.body.consentRequestEvents).toEqual([
          expect.objectContaining({ eventType: 'Created' }),
          expect.objectContaining({ eventType: 'Accepted' }),
          {
            consentEventID: '00000000-0000-0000-0000-000000000000',
            created: answer.body.validTo,
            performedBy: orgUrn(TENANT),
            eventType: 'Expired',
            consentRequestID: '00000000-0000-0000-0000-000000000000',
          },
        ]);
        const feed = await call(sim, 'GET', `${PATH}/events?consentRequestId=${String(body.id)}`);
        expect((feed.body.data as { eventType: string }[]).map((event) => event.eventType)).toEqual([
          'Created',
          'Accepted',
        ]);
      } finally {
        await sim.control('PUT', '/_sim/clock', { offsetSeconds: 0 });
      }
    });

    it('refuses a consent of another consumer: 403 AM-00000 with a problem body', async () => {
      const body = consentBody(sim);
      await create(sim, body);
      const answer = await call(sim, 'GET', `${PATH}/${String(body.id)}`, {
        tokenOptions: { consumer: iso6523(OTHER_TENANT) },
      });
      expectProblem(answer, 403, 'AM-00000');
    });

    it('answers an unknown id with 404 AM-00001', async () => {
      expectProblem(await call(sim, 'GET', `${PATH}/${randomUUID()}`), 404, 'AM-00001');
    });

    it('matches no route for an id that is not a UUID: 404, empty body', async () => {
      expectEmpty(await call(sim, 'GET', `${PATH}/4711`), 404);
    });

    it('refuses a token without a consent scope: 403, empty body', async () => {
      expectEmpty(
        await call(sim, 'GET', `${PATH}/${randomUUID()}`, {
          tokenOptions: { scope: 'altinn:something.else' },
        }),
        403,
      );
    });

    it('refuses a request without a token: 401, empty body', async () => {
      expectEmpty(await call(sim, 'GET', `${PATH}/${randomUUID()}`, { token: null }), 401);
    });
  });
});

interface FeedItem {
  consentRequestId: string;
  eventType: string;
  changedDate: string;
}

interface FeedAnswer extends Answer {
  data: FeedItem[];
  next: string | null;
}

describe('simulated Altinn consent event feed', () => {
  let sim: TestSimulator;
  let offsetSeconds = 0;
  beforeAll(async () => {
    sim = await startTestSimulator({ SIMULATOR_FEED_LAG_SECONDS: '300' });
  });
  afterAll(() => sim.close());

  /** The clock only moves forward here, as real time does. */
  async function advance(seconds: number): Promise<void> {
    offsetSeconds += seconds;
    await sim.control('PUT', '/_sim/clock', { offsetSeconds });
  }

  async function feed(consumer: string, pathOrUrl = `${PATH}/events`): Promise<FeedAnswer> {
    const answer = await call(sim, 'GET', pathOrUrl, {
      tokenOptions: { consumer: iso6523(consumer), scope: READ },
    });
    const body = answer.body as { data?: FeedItem[]; links?: { next: string | null } };
    return { ...answer, data: body.data ?? [], next: body.links?.next ?? null };
  }

  async function createFor(consumer: string, from = PERSON): Promise<string> {
    const body = consentBody(sim, { to: orgUrn(consumer), from: personUrn(from) });
    const answer = await create(sim, body, { tokenOptions: { consumer: iso6523(consumer) } });
    expect(answer.status).toBe(201);
    return String(body.id);
  }

  it('shows events only once they are older than the lag', async () => {
    const consumer = '999999999';
    const id = await createFor(consumer);
    await sim.control('POST', `/_sim/consents/${id}/accept`);
    expect((await feed(consumer)).data).toEqual([]);
    await advance(290);
    expect((await feed(consumer)).data).toEqual([]);
    await advance(20);
    const answer = await feed(consumer);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      links: { next: null },
      data: [
        { consentRequestId: id, eventType: 'Created', changedDate: expect.stringMatching(/\+00:00$/) },
        { consentRequestId: id, eventType: 'Accepted', changedDate: expect.stringMatching(/\+00:00$/) },
      ],
    });
  });

  it('shows a consumer only the events of consents to it', async () => {
    const mine = await createFor('812345672');
    await createFor('900000014');
    await advance(310);
    expect((await feed('812345672')).data.map((item) => item.consentRequestId)).toEqual([mine]);
  });

  it('filters by event type, consent, and creation time', async () => {
    const consumer = '923456783';
    const first = await createFor(consumer);
    await advance(10);
    const second = await createFor(consumer, OTHER_PERSON);
    await advance(10);
    await sim.control('POST', `/_sim/consents/${first}/accept`);
    await advance(10);
    await sim.control('POST', `/_sim/consents/${second}/reject`);
    await advance(10);
    await sim.control('POST', `/_sim/consents/${first}/revoke`);
    await advance(310);

    const all = (await feed(consumer)).data;
    expect(all.map((item) => `${item.eventType} ${item.consentRequestId === first ? 1 : 2}`)).toEqual([
      'Created 1',
      'Created 2',
      'Accepted 1',
      'Rejected 2',
      'Revoked 1',
    ]);
    const kinds = async (query: string) =>
      (await feed(consumer, `${PATH}/events?${query}`)).data.map((item) => item.eventType);
    expect(await kinds('eventType=accepted')).toEqual(['Accepted']);
    expect(await kinds('eventType=rejected&eventType=revoked')).toEqual(['Rejected', 'Revoked']);
    expect(await kinds('EVENTTYPE=accepted')).toEqual(['Accepted']);
    expect(await kinds(`consentRequestId=${first}`)).toEqual(['Created', 'Accepted', 'Revoked']);
    const rejectedAt = encodeURIComponent(all[3].changedDate);
    expect(await kinds(`createdAfter=${rejectedAt}`)).toEqual(['Rejected', 'Revoked']);
    expect(await kinds(`createdBefore=${rejectedAt}`)).toEqual(['Created', 'Created', 'Accepted']);
  });

  it('pages 100 at a time; following next sees every event once, also those that arrive meanwhile', async () => {
    const consumer = '974760673';
    const ids: string[] = [];
    for (let index = 0; index < 120; index += 1) ids.push(await createFor(consumer));
    await advance(310);

    const first = await feed(consumer);
    expect(first.data).toHaveLength(100);
    expect(first.next).toMatch(new RegExp(`^${sim.baseUrl}${PATH}/events\\?continuationToken=`));
    const token = new URL(first.next ?? '').searchParams.get('continuationToken');
    expect(token).toMatch(/^[A-Za-z0-9+/]{22}==$/);

    // Events that arrive while the client pages: after the cursor, shown once they pass the lag.
    for (let index = 0; index < 5; index += 1) ids.push(await createFor(consumer));
    const second = await feed(consumer, first.next ?? '');
    expect(second.data).toHaveLength(20);
    expect(second.next).toBeNull();

    // The last page has no next link: a client resumes by re-issuing the request that gave it.
    await advance(310);
    const resumed = await feed(consumer, first.next ?? '');
    expect(resumed.data.slice(0, 20)).toEqual(second.data);
    const seen = [...first.data, ...resumed.data].map((item) => item.consentRequestId);
    expect(seen).toEqual(ids);
  });

  it('links a next page when a page is exactly full, and that page is empty', async () => {
    const consumer = '810418192';
    for (let index = 0; index < 100; index += 1) await createFor(consumer);
    await advance(310);
    const first = await feed(consumer, `${PATH}/events?eventType=accepted&eventType=rejected`);
    expect(first.data).toEqual([]);
    const all = await feed(consumer);
    expect(all.data).toHaveLength(100);
    const next = await feed(consumer, all.next ?? 'missing');
    expect(next.body).toEqual({ links: { next: null }, data: [] });
  });

  it('keeps the filters in the next link', async () => {
    const consumer = '810418192';
    const answer = await feed(consumer, `${PATH}/events?createdAfter=2020-01-01T00:00:00Z`);
    const next = new URL(answer.next ?? '');
    expect(next.searchParams.get('createdAfter')).toBe('2020-01-01T00:00:00.0000000Z');
  });

  it.each([
    // The paths as the enterprise ConsentController writes them: `$QUERY/<name>`.
    ['eventType=created', 'AM.VLD-00052', '$QUERY/eventType'],
    [
      'createdAfter=2026-01-02T00:00:00Z&createdBefore=2026-01-01T00:00:00Z',
      'AM.VLD-00051',
      '$QUERY/createdAfter',
    ],
    ['continuationToken=not-a-token', 'AM.VLD-00053', '$QUERY/continuationToken'],
  ])('refuses %s: 400 %s', async (query, code, path) => {
    expectValidationError(await feed(TENANT, `${PATH}/events?${query}`), code, path);
  });

  it.each([
    ['createdAfter=yesterday', 'createdAfter'],
    ['consentRequestId=4711', 'consentRequestId'],
  ])('refuses %s, which does not bind: ASP.NET 400 naming %s', async (query, name) => {
    expectModelState(await feed(TENANT, `${PATH}/events?${query}`), { [name]: [expect.any(String)] });
  });

  it('accepts createdAfter without offset (UTC)', async () => {
    expect((await feed(TENANT, `${PATH}/events?createdAfter=2026-01-01T00:00:00`)).status).toBe(200);
  });

  it('fails a mixed-case event type as Altinn’s database cast does: 500', async () => {
    const answer = await feed(TENANT, `${PATH}/events?eventType=Accepted`);
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ ...STATUS_DEFAULTS[500], status: 500, traceId: expect.any(String) });
  });

  it('refuses a request without a token (401) and a token without a consent scope (403), empty bodies', async () => {
    expectEmpty(await call(sim, 'GET', `${PATH}/events`, { token: null }), 401);
    expectEmpty(await call(sim, 'GET', `${PATH}/events`, { tokenOptions: { scope: 'openid' } }), 403);
  });
});
