import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  AltinnConsentClient,
  type AltinnCreateConsentRequest,
  AltinnError,
  CONSENT_REQUESTS_PATH,
} from '@gw/altinn';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
// Tests only: the simulated Maskinporten's signing key and clock, to mint bearer tokens without /token.
import { iso6523 } from '../../../apps/simulator/src/core/access-token';
import { IssuerKey } from '../../../apps/simulator/src/core/issuer-key';
import { SimClock } from '../../../apps/simulator/src/core/sim-clock';

// docs/upstream-contract.md §2 over real HTTP: the client against the simulated Altinn consent API (feed lag
// 0).

const TENANT = '313876144';
const PROVIDER = '310149942';
const OTHER_TENANT = '974760673';
const PERSON = '03867199348';
const OTHER_PERSON = '01025161013';
const orgUrn = (org: string) => `urn:altinn:organization:identifier-no:${org}`;
const personUrn = (person: string) => `urn:altinn:person:identifier-no:${person}`;

interface SimStats {
  altinn: { create: number; get: number; events: number };
}

describe('AltinnConsentClient against the simulated Altinn', () => {
  let sim: TestSimulator;
  let client: AltinnConsentClient;

  /** A Maskinporten access token for `consumer`, as the provider's client would get it. */
  async function tokenFor(consumer = TENANT, scope = 'altinn:consentrequests.write'): Promise<string> {
    const issuerKey = sim.app.get(IssuerKey);
    const now = sim.app.get(SimClock).nowSeconds();
    return new SignJWT({
      iss: sim.issuer,
      client_id: 'sgw-local-client',
      client_amr: 'private_key_jwt',
      scope,
      token_type: 'Bearer',
      iat: now,
      exp: now + 120,
      jti: randomUUID(),
      consumer: iso6523(consumer),
      supplier: iso6523(PROVIDER),
    })
      .setProtectedHeader({ alg: 'RS256', kid: issuerKey.kid })
      .sign(issuerKey.privateKey);
  }

  function consentRequest(changes: Partial<AltinnCreateConsentRequest> = {}): AltinnCreateConsentRequest {
    return {
      id: randomUUID(),
      from: personUrn(PERSON),
      to: orgUrn(TENANT),
      validTo: new Date((sim.app.get(SimClock).nowSeconds() + 86_400) * 1000),
      consentRights: [
        {
          action: ['consent'],
          resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
          metadata: { INNTEKTSAAR: '2024' },
        },
      ],
      requestMessage: { nb: 'Sparebank Super ber om inntektsopplysningene dine.' },
      redirectUrl: 'https://sparebanksuper.example/lan/samtykke?soknad=4711',
      ...changes,
    };
  }

  async function failureOf(call: Promise<unknown>): Promise<AltinnError> {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AltinnError);
    return error as AltinnError;
  }

  const stats = () => sim.control<SimStats>('GET', '/_sim/stats');

  beforeAll(async () => {
    sim = await startTestSimulator();
    client = new AltinnConsentClient({ baseUrl: sim.baseUrl, timeoutMs: 5_000 });
  });

  afterEach(() => sim.control('DELETE', '/_sim/faults'));

  afterAll(() => sim.close());

  describe('createConsentRequest', () => {
    it('creates a consent request: 201 with Location and the details, viewUri included', async () => {
      const request = consentRequest();
      const result = await client.createConsentRequest(await tokenFor(), request);
      expect(result).toEqual({
        kind: 'created',
        location: `${sim.baseUrl}${CONSENT_REQUESTS_PATH}/${request.id}`,
        details: {
          id: request.id,
          from: personUrn(PERSON),
          to: orgUrn(TENANT),
          requiredDelegator: null,
          handledBy: orgUrn(PROVIDER),
          validTo: request.validTo,
          consentRights: request.consentRights,
          requestMessage: request.requestMessage,
          status: 'created',
          consented: null,
          redirectUrl: request.redirectUrl,
          portalViewMode: 'hide',
          events: [
            {
              consentEventId: expect.any(String),
              created: expect.any(Date),
              performedBy: orgUrn(TENANT),
              eventType: 'created',
              consentRequestId: request.id,
            },
          ],
          viewUri: `https://am.ui.127.0.0.1/accessmanagement/ui/consent/request?id=${request.id}`,
        },
      });
    });

    it('answers a repeat of the same id and parties with already_exists and creates nothing more', async () => {
      const request = consentRequest();
      const token = await tokenFor();
      await client.createConsentRequest(token, request);
      await expect(
        client.createConsentRequest(token, { ...request, redirectUrl: 'https://elsewhere.example/' }),
      ).resolves.toEqual({ kind: 'already_exists', id: request.id });
      const details = await client.getConsentRequest(token, request.id);
      expect(details.redirectUrl).toBe(request.redirectUrl);
      expect(details.events).toHaveLength(1);
    });

    it('reads the same id with another person as a permanent id conflict (AM-00016)', async () => {
      const request = consentRequest();
      const token = await tokenFor();
      await client.createConsentRequest(token, request);
      const error = await failureOf(
        client.createConsentRequest(token, { ...request, from: personUrn(OTHER_PERSON) }),
      );
      expect(error).toMatchObject({
        code: 'altinn.id_conflict',
        status: 400,
        upstreamCode: 'AM-00016',
        retryable: false,
      });
    });

    it('keeps the validation errors of a validTo in the past (STD-00000, AM.VLD-00022)', async () => {
      const error = await failureOf(
        client.createConsentRequest(
          await tokenFor(),
          consentRequest({ validTo: new Date(Date.now() - 60_000) }),
        ),
      );
      expect(error).toMatchObject({ code: 'altinn.validation_failed', status: 400, retryable: false });
      expect(error.problem?.validationErrors).toEqual([
        expect.objectContaining({ code: 'AM.VLD-00022', paths: ['/validTo'] }),
      ]);
    });

    it('reads a resource Altinn does not know as a permanent refusal (AM-00005)', async () => {
      const request = consentRequest({
        consentRights: [
          { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'finnes-ikke' }] },
        ],
      });
      const error = await failureOf(client.createConsentRequest(await tokenFor(), request));
      expect(error).toMatchObject({
        code: 'altinn.request_refused',
        upstreamCode: 'AM-00005',
        retryable: false,
      });
    });

    it('reads several problems together (HTTP 500 STD-00001) as a permanent validation failure', async () => {
      const request = consentRequest({
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAR: '2024' },
          },
        ],
      });
      const error = await failureOf(client.createConsentRequest(await tokenFor(), request));
      expect(error).toMatchObject({
        code: 'altinn.validation_failed',
        status: 500,
        upstreamCode: 'STD-00001',
        retryable: false,
      });
      expect(error.problem?.problems.map((problem) => problem.code)).toEqual(['AM-00006', 'AM-00008']);
    });

    it('gives the 500 of a right without resources (an unhandled exception, no code) a small retry budget', async () => {
      const request = consentRequest({
        consentRights: [{ action: ['consent'], resource: [] }],
      });
      const error = await failureOf(client.createConsentRequest(await tokenFor(), request));
      expect(error).toMatchObject({
        code: 'altinn.unavailable',
        status: 500,
        retryable: true,
        maxRetries: 2,
      });
      expect(error.upstreamCode).toBeUndefined();
      expect(error.mayRetry(2)).toBe(false);
    });

    it('reads a `to` other than the token’s consumer as forbidden (403, empty body)', async () => {
      const error = await failureOf(
        client.createConsentRequest(await tokenFor(), consentRequest({ to: orgUrn(OTHER_TENANT) })),
      );
      expect(error).toMatchObject({ code: 'altinn.forbidden', status: 403, problem: undefined });
    });

    it('reads a token without the write scope as forbidden and a forged token as unauthorized', async () => {
      const readOnly = await tokenFor(TENANT, 'altinn:consentrequests.read');
      await expect(client.createConsentRequest(readOnly, consentRequest())).rejects.toMatchObject({
        code: 'altinn.forbidden',
        retryable: false,
      });
      const [header, payload] = (await tokenFor()).split('.');
      await expect(
        client.createConsentRequest(`${header}.${payload}.AAAA`, consentRequest()),
      ).rejects.toMatchObject({ code: 'altinn.unauthorized', status: 401, retryable: false });
    });

    it('reads injected 503s as retryable', async () => {
      await sim.control('PUT', '/_sim/faults', { upstream: 'altinn', status: 503, rate: 1 });
      const before = (await stats()).altinn.create;
      const error = await failureOf(client.createConsentRequest(await tokenFor(), consentRequest()));
      expect(error).toMatchObject({ code: 'altinn.unavailable', status: 503, retryable: true });
      expect((await stats()).altinn.create).toBe(before + 1);
    });

    it('reads a stall past the timeout as a retryable timeout; a repeat after it creates nothing twice', async () => {
      const request = consentRequest();
      const token = await tokenFor();
      await sim.control('PUT', '/_sim/faults', { upstream: 'altinn', latencyMs: 1_000 });
      const impatient = new AltinnConsentClient({ baseUrl: sim.baseUrl, timeoutMs: 100 });
      const error = await failureOf(impatient.createConsentRequest(token, request));
      expect(error).toMatchObject({ code: 'altinn.timeout', retryable: true });
      await sim.control('DELETE', '/_sim/faults');
      // The stalled request still reaches Altinn after the client gave up: the retry must be idempotent.
      const retried = await client.createConsentRequest(token, request);
      expect(['created', 'already_exists']).toContain(retried.kind);
      const details = await client.getConsentRequest(token, request.id);
      expect(details.events.filter((event) => event.eventType === 'created')).toHaveLength(1);
    });
  });

  describe('getConsentRequest', () => {
    it('gets the person’s acceptance with a read-only token', async () => {
      const request = consentRequest();
      await client.createConsentRequest(await tokenFor(), request);
      await sim.control('POST', `/_sim/consents/${request.id}/accept`);
      const details = await client.getConsentRequest(
        await tokenFor(TENANT, 'altinn:consentrequests.read'),
        request.id,
      );
      expect(details).toMatchObject({ id: request.id, status: 'accepted', consented: expect.any(Date) });
      expect(details.events.map((event) => event.eventType)).toEqual(['created', 'accepted']);
    });

    it('reads an unknown id as not_found (404 AM-00001)', async () => {
      const error = await failureOf(client.getConsentRequest(await tokenFor(), randomUUID()));
      expect(error).toMatchObject({ code: 'altinn.not_found', status: 404, upstreamCode: 'AM-00001' });
    });

    it('reads another consumer’s consent as forbidden (403 AM-00000)', async () => {
      const request = consentRequest();
      await client.createConsentRequest(await tokenFor(), request);
      const error = await failureOf(client.getConsentRequest(await tokenFor(OTHER_TENANT), request.id));
      expect(error).toMatchObject({ code: 'altinn.forbidden', status: 403, upstreamCode: 'AM-00000' });
    });
  });

  describe('listConsentEvents', () => {
    // A consumer of its own, so other tests' consents stay out of its feed.
    const FEED_CONSUMER = '923456783';

    it('pages with the continuation cursor and filters by event type and consent', async () => {
      const token = await tokenFor(FEED_CONSUMER);
      const ids: string[] = [];
      for (let index = 0; index < 101; index += 1) {
        const request = consentRequest({ to: orgUrn(FEED_CONSUMER) });
        await client.createConsentRequest(token, request);
        ids.push(request.id);
      }
      await sim.control('POST', `/_sim/consents/${ids[7]}/accept`);

      const first = await client.listConsentEvents(token);
      expect(first.events).toHaveLength(100);
      expect(first.nextContinuationToken).toEqual(expect.any(String));
      const second = await client.listConsentEvents(token, {
        continuationToken: first.nextContinuationToken ?? undefined,
      });
      expect(second.nextContinuationToken).toBeNull();
      const all = [...first.events, ...second.events];
      expect(
        all.filter((event) => event.eventType === 'created').map((event) => event.consentRequestId),
      ).toEqual(ids);
      expect(all.at(-1)).toEqual({
        consentRequestId: ids[7],
        eventType: 'accepted',
        changedDate: expect.any(Date),
      });

      await expect(client.listConsentEvents(token, { eventType: 'accepted' })).resolves.toEqual({
        events: [{ consentRequestId: ids[7], eventType: 'accepted', changedDate: expect.any(Date) }],
        nextContinuationToken: null,
      });
      const forOne = await client.listConsentEvents(token, { consentRequestId: ids[7] });
      expect(forOne.events.map((event) => event.eventType)).toEqual(['created', 'accepted']);
      // createdAfter is inclusive (≥); events created in the same millisecond may come along.
      const boundary = all[100].changedDate;
      const later = await client.listConsentEvents(token, { createdAfter: boundary });
      expect(later.events.length).toBeLessThan(10);
      expect(later.events.slice(-2)).toEqual(all.slice(-2));
      expect(later.events.every((event) => event.changedDate >= boundary)).toBe(true);
    });

    it('shows a consumer none of another consumer’s events', async () => {
      const mine = consentRequest();
      await client.createConsentRequest(await tokenFor(), mine);
      const page = await client.listConsentEvents(await tokenFor(OTHER_TENANT), {
        consentRequestId: mine.id,
      });
      expect(page).toEqual({ events: [], nextContinuationToken: null });
    });

    it('reads a refused cursor as a permanent validation failure', async () => {
      const error = await failureOf(
        client.listConsentEvents(await tokenFor(), { continuationToken: 'not-a-token' }),
      );
      expect(error).toMatchObject({ code: 'altinn.validation_failed', retryable: false });
      expect(error.problem?.validationErrors[0]).toMatchObject({ code: 'AM.VLD-00053' });
    });
  });
});
