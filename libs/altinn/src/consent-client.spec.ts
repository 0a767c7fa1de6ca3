import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { AltinnError } from './altinn.errors';
import { AltinnConsentClient, CONSENT_REQUESTS_PATH } from './consent-client';
import { type AltinnCreateConsentRequest } from './domain/create-request';

// Edge cases over real HTTP against a scripted local server: what Altinn may answer and how the client reads it.

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'stall' | 'reset';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const ID = '0198a6e4-4b53-7c3a-9a1e-1f2d3c4b5a69';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl';
const PERSON = '03867199348';

const request: AltinnCreateConsentRequest = {
  id: ID,
  from: `urn:altinn:person:identifier-no:${PERSON}`,
  to: 'urn:altinn:organization:identifier-no:313876144',
  validTo: new Date('2026-07-07T13:45:00Z'),
  consentRights: [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2024' },
    },
  ],
  redirectUrl: 'https://bank.example/done',
};

const details = {
  id: ID,
  from: request.from,
  to: request.to,
  requiredDelegator: null,
  handledBy: 'urn:altinn:organization:identifier-no:310149942',
  validTo: '2026-07-07T13:45:00+00:00',
  consentRights: [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2024' },
    },
  ],
  requestMessage: null,
  status: 'Created',
  consented: null,
  redirectUrl: 'https://bank.example/done',
  consentRequestEvents: [],
  viewUri: `https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=${ID}`,
  portalViewMode: 'Hide',
};

const problem = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  body: {
    type: `urn:altinn:error:${code}`,
    title: `Title of ${code}`,
    status,
    detail: `Detail of ${code}`,
    code,
    traceId: '00-trace-01',
    ...extra,
  },
  status,
  headers: { 'content-type': 'application/problem+json' },
});

describe('AltinnConsentClient', () => {
  let server: Server;
  let baseUrl: string;
  let replies: Reply[];
  let received: Received[];

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({
          method: incoming.method ?? '',
          url: incoming.url ?? '',
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const reply = replies.shift() ?? { status: 599 };
        if (reply === 'stall') return;
        if (reply === 'reset') {
          incoming.socket.destroy();
          return;
        }
        const text =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        response.writeHead(reply.status, {
          ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...reply.headers,
        });
        response.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    replies = [];
    received = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (timeoutMs = 5_000) => new AltinnConsentClient({ baseUrl: `${baseUrl}/`, timeoutMs });

  async function failureOf(call: Promise<unknown>): Promise<AltinnError> {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AltinnError);
    return error as AltinnError;
  }

  describe('createConsentRequest', () => {
    it('posts the request as JSON with the bearer token and reads a 201 with Location', async () => {
      const location = `${baseUrl}${CONSENT_REQUESTS_PATH}/${ID}`;
      replies.push({ status: 201, body: details, headers: { location } });
      const result = await client().createConsentRequest(TOKEN, request);
      expect(result).toEqual({
        kind: 'created',
        location,
        details: expect.objectContaining({ id: ID, status: 'created', viewUri: details.viewUri }),
      });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'POST', url: CONSENT_REQUESTS_PATH });
      expect(received[0].headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json',
      });
      expect(JSON.parse(received[0].body)).toEqual({
        id: ID,
        from: request.from,
        to: request.to,
        validTo: '2026-07-07T13:45:00.000Z',
        consentRights: request.consentRights,
        redirectUrl: 'https://bank.example/done',
      });
    });

    it('reads a 200 as already_exists without trusting its body', async () => {
      replies.push({ status: 200, body: { id: ID, consentRequestStatus: 'Accepted', templateId: 'x' } });
      await expect(client().createConsentRequest(TOKEN, request)).resolves.toEqual({
        kind: 'already_exists',
        id: ID,
      });
    });

    it('refuses a 201 without details as invalid_response, echoing neither body nor person', async () => {
      replies.push({ status: 201, body: { ...details, viewUri: undefined } });
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.invalid_response', status: 201, retryable: false });
      expect(error.message).not.toContain(PERSON);
    });

    it('keeps the validation errors of a 400 STD-00000 and marks it permanent', async () => {
      const validationErrors = [
        { code: 'AM.VLD-00022', title: 'The time need to be in the future', paths: ['/validTo'] },
      ];
      replies.push(problem('STD-00000', 400, { validationErrors }));
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({
        code: 'altinn.validation_failed',
        status: 400,
        upstreamCode: 'STD-00000',
        traceId: '00-trace-01',
        retryable: false,
        problem: { validationErrors },
      });
      expect(error.message).toBe('Altinn answered 400 STD-00000 Title of STD-00000 (traceId 00-trace-01)');
    });

    it('reads a 4.0.1 validation problem (no type, no title) with its detail and mapped paths', async () => {
      replies.push({
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          code: 'STD-00000',
          status: 400,
          detail: 'One or more validation errors occurred.',
          validationErrors: [
            { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['ValidTo'] },
          ],
        },
      });
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({
        code: 'altinn.validation_failed',
        retryable: false,
        problem: {
          detail: 'One or more validation errors occurred.',
          validationErrors: [{ code: 'AM.VLD-00022', paths: ['/validTo'] }],
        },
      });
      expect(error.message).toBe('Altinn answered 400 STD-00000');
    });

    it('reads ASP.NET’s model-binding 400 as a validation failure naming the field', async () => {
      replies.push({
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: { '$.validTo': ['The JSON value could not be converted to System.DateTimeOffset.'] },
          traceId: '00-trace-02',
        },
      });
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.validation_failed', retryable: false });
      expect(error.problem?.validationErrors[0].paths).toEqual(['/validTo']);
    });

    it('allows only a couple of retries of a 500 without a code (an unhandled exception)', async () => {
      replies.push({
        status: 500,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
          title: 'An error occurred while processing your request.',
          status: 500,
          traceId: '00-trace-03',
        },
      });
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.unavailable', retryable: true, maxRetries: 2 });
      expect([0, 1, 2, 3].map((retries) => error.mayRetry(retries))).toEqual([true, true, false, false]);
    });

    it('keeps no retry budget of its own for a 503 (Altinn away)', async () => {
      replies.push(problem('STD-00001', 503));
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error.maxRetries).toBeUndefined();
      expect(error.mayRetry(7)).toBe(true);
    });

    it.each([429, 503])('carries the Retry-After of a %i', async (status) => {
      replies.push({ status, headers: { 'retry-after': '12' } });
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.unavailable', retryable: true, retryAfterMs: 12_000 });
    });

    it('reads 400 AM-00016 as an id conflict', async () => {
      replies.push(problem('AM-00016', 400, { requestId: ID }));
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.id_conflict', retryable: false });
      expect(error.problem?.extensions).toEqual({ requestId: ID });
    });

    it('reads a 500 STD-00001 listing 400 problems as a permanent validation failure', async () => {
      replies.push(
        problem('STD-00001', 500, {
          problems: [problem('AM-00006', 400, { key: 'x' }).body, problem('AM-00008', 400).body],
        }),
      );
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code: 'altinn.validation_failed', status: 500, retryable: false });
      expect(error.problem?.problems.map((inner) => inner.code)).toEqual(['AM-00006', 'AM-00008']);
    });

    it.each<[string, Reply, string]>([
      [
        'a 401 with an empty body',
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
        'altinn.unauthorized',
      ],
      ['a 403 with an empty body', { status: 403 }, 'altinn.forbidden'],
      ['a 400 AM-00005', problem('AM-00005', 400), 'altinn.request_refused'],
      ['a 415', { status: 415 }, 'altinn.upstream_error'],
      [
        'a redirect, not followed',
        { status: 307, headers: { location: 'https://elsewhere.example/' } },
        'altinn.upstream_error',
      ],
    ])('fails permanently on %s', async (_label, reply, code) => {
      replies.push(reply);
      const error = await failureOf(client().createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code, retryable: false });
      expect(received).toHaveLength(1);
    });

    it.each<[string, Reply, string]>([
      ['a 503 problem', problem('STD-00001', 503), 'altinn.unavailable'],
      [
        'a 502 HTML page',
        { status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } },
        'altinn.unavailable',
      ],
      ['a 429', { status: 429 }, 'altinn.unavailable'],
      ['a dropped connection', 'reset', 'altinn.unavailable'],
      ['no answer within the timeout', 'stall', 'altinn.timeout'],
    ])('fails retryably on %s', async (_label, reply, code) => {
      replies.push(reply);
      const error = await failureOf(client(200).createConsentRequest(TOKEN, request));
      expect(error).toMatchObject({ code, retryable: true });
      expect(error.message).not.toContain(TOKEN);
    });

    it('fails retryably when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await failureOf(
        new AltinnConsentClient({ baseUrl: `http://127.0.0.1:${port}` }).createConsentRequest(TOKEN, request),
      );
      expect(error).toMatchObject({ code: 'altinn.unavailable', retryable: true });
    });

    it.each([
      ['an id that is not a UUID', { ...request, id: '4711' }, TOKEN],
      ['an empty token', request, ''],
    ])('refuses %s before sending', async (_label, body, token) => {
      const error = await failureOf(client().createConsentRequest(token, body));
      expect(error).toMatchObject({ code: 'altinn.invalid_request', retryable: false });
      expect(received).toHaveLength(0);
    });
  });

  describe('what the circuit breaker is told', () => {
    it('reports each call’s status, or that no answer came', async () => {
      const calls: [string, number | string][] = [];
      const told = new AltinnConsentClient({
        baseUrl,
        timeoutMs: 2_000,
        breakers: { recordCall: (upstream, status) => calls.push([upstream, status]) },
      });
      replies.push(
        { status: 201, body: details },
        problem('AM-00001', 404),
        problem('STD-00001', 503),
        'stall',
      );
      await told.createConsentRequest(TOKEN, request);
      await failureOf(told.getConsentRequest(TOKEN, ID));
      await failureOf(told.getConsentRequest(TOKEN, ID));
      await failureOf(told.getConsentRequest(TOKEN, ID));
      expect(calls).toEqual([
        ['altinn', 201],
        ['altinn', 404],
        ['altinn', 503],
        ['altinn', 'timeout'],
      ]);
    });
  });

  describe('getConsentRequest', () => {
    it('gets the details by id', async () => {
      replies.push({
        status: 200,
        body: { ...details, status: 'Accepted', consented: '2026-01-15T10:05:00+00:00' },
      });
      await expect(client().getConsentRequest(TOKEN, ID)).resolves.toMatchObject({
        id: ID,
        status: 'accepted',
        consented: new Date('2026-01-15T10:05:00Z'),
      });
      expect(received[0]).toMatchObject({ method: 'GET', url: `${CONSENT_REQUESTS_PATH}/${ID}`, body: '' });
      expect(received[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it.each<[string, Reply, string]>([
      ['404 AM-00001', problem('AM-00001', 404), 'altinn.not_found'],
      ['a 404 without a problem (no such route)', { status: 404 }, 'altinn.upstream_error'],
      ['403 AM-00000', problem('AM-00000', 403), 'altinn.forbidden'],
    ])('reads %s as its typed error', async (_label, reply, code) => {
      replies.push(reply);
      await expect(client().getConsentRequest(TOKEN, ID)).rejects.toMatchObject({ code, retryable: false });
    });
  });

  describe('listConsentEvents', () => {
    it('sends the filters and reads the page and its next cursor', async () => {
      replies.push({
        status: 200,
        body: {
          links: {
            next: `${baseUrl}${CONSENT_REQUESTS_PATH}/events?continuationToken=AbC%2B%3D%3D&eventType=accepted`,
          },
          data: [{ consentRequestId: ID, eventType: 'Accepted', changedDate: '2026-01-15T10:05:00+00:00' }],
        },
      });
      const page = await client().listConsentEvents(TOKEN, {
        continuationToken: 'Xyz+/==',
        createdAfter: new Date('2026-01-01T00:00:00Z'),
        eventType: ['accepted'],
      });
      expect(page).toEqual({
        events: [
          { consentRequestId: ID, eventType: 'accepted', changedDate: new Date('2026-01-15T10:05:00Z') },
        ],
        nextContinuationToken: 'AbC+==',
      });
      const url = new URL(received[0].url, baseUrl);
      expect(url.pathname).toBe(`${CONSENT_REQUESTS_PATH}/events`);
      expect([...url.searchParams]).toEqual([
        ['continuationToken', 'Xyz+/=='],
        ['createdAfter', '2026-01-01T00:00:00.000Z'],
        ['eventType', 'accepted'],
      ]);
    });

    it('asks without a query when given no filters and reads the last page', async () => {
      replies.push({ status: 200, body: { links: { next: null }, data: [] } });
      await expect(client().listConsentEvents(TOKEN)).resolves.toEqual({
        events: [],
        nextContinuationToken: null,
      });
      expect(received[0].url).toBe(`${CONSENT_REQUESTS_PATH}/events`);
    });

    it('keeps the validation errors of a refused query', async () => {
      replies.push(
        problem('STD-00000', 400, {
          validationErrors: [
            {
              code: 'AM.VLD-00053',
              title: 'The continuation token is invalid.',
              paths: ['/$QUERY/continuationToken'],
            },
          ],
        }),
      );
      const error = await failureOf(client().listConsentEvents(TOKEN, { continuationToken: 'nope' }));
      expect(error).toMatchObject({ code: 'altinn.validation_failed' });
      expect(error.problem?.validationErrors[0].paths).toEqual(['/$QUERY/continuationToken']);
    });

    it('refuses a 200 that is no feed page', async () => {
      replies.push({ status: 200, body: '<html></html>', headers: { 'content-type': 'text/html' } });
      await expect(client().listConsentEvents(TOKEN)).rejects.toMatchObject({
        code: 'altinn.invalid_response',
      });
    });
  });
});
