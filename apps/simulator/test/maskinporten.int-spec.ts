import {
  createPublicKey,
  type KeyObject,
  generateKeyPairSync,
  randomUUID,
  sign as signBytes,
} from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { buildGrantClaims, type TokenRequest } from '@gw/maskinporten';
import { KmsJwtSigner } from '@gw/signing';
import { startTestSimulator, type TestSimulator } from '@test/simulator';
import { SimClock } from '../src/core/sim-clock';

// docs/upstream-contract.md §1 over real HTTP: the simulated Maskinporten's metadata, JWKS and token
// endpoint.

const PROVIDER = '310149942';
const TENANT = '313876144';
/** A valid org number that has delegated nothing to the provider. */
const STRANGER = '974760673';
const PERSON = '03867199348';
const OTHER_PERSON = '01025161013';
const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';
/** A scope only the JWKS test client has. */
const PLAIN = 'test:plain';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SEEDED_CLIENT = 'sgw-local-client';
const JWKS_CLIENT = 'sim-test-jwks-client';
const CONSENTS_PATH = '/accessmanagement/api/v1/enterprise/consentrequests';
const personUrn = (person: string) => `urn:altinn:person:identifier-no:${person}`;
const party = (org: string) => ({ authority: 'iso6523-actorid-upis', ID: `0192:${org}` });

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Strings as DER needs them: just enough ASN.1 to make a self-signed certificate for an `x5c` grant. */
function der(tag: number, ...parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  const length =
    content.length < 0x80
      ? Buffer.from([content.length])
      : content.length < 0x100
        ? Buffer.from([0x81, content.length])
        : Buffer.from([0x82, content.length >> 8, content.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

/** A self-signed X.509 v3 certificate (sha256WithRSAEncryption) over `privateKey`'s public key, base64 DER. */
function selfSignedCertificate(privateKey: KeyObject, validFrom: Date, validTo: Date): string {
  const sha256WithRsa = der(0x30, Buffer.from('06092a864886f70d01010b0500', 'hex'));
  const name = der(
    0x30,
    der(0x31, der(0x30, Buffer.from('0603550403', 'hex'), der(0x0c, Buffer.from('sim test', 'utf8')))),
  );
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, 0x23, 0x45])),
    sha256WithRsa,
    name,
    der(0x30, utcTime(validFrom), utcTime(validTo)),
    name,
    spki,
  );
  const signature = signBytes('sha256', tbs, privateKey);
  return der(0x30, tbs, sha256WithRsa, der(0x03, Buffer.from([0]), signature)).toString('base64');
}

describe('simulated Maskinporten', () => {
  let sim: TestSimulator;
  let kmsSigner: KmsJwtSigner;
  /** The key of the JWKS test client, registered under kid `jwks-key-1`. */
  const clientKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const nowSeconds = () => sim.app.get(SimClock).nowSeconds();

  /** Grant claims for the JWKS test client; `undefined` removes a claim. */
  function grantClaims(changes: Record<string, unknown> = {}): Record<string, unknown> {
    const now = nowSeconds();
    const claims: Record<string, unknown> = {
      aud: sim.issuer,
      iss: JWKS_CLIENT,
      iat: now,
      exp: now + 60,
      jti: randomUUID(),
      scope: PLAIN,
      ...changes,
    };
    Object.keys(claims).forEach((claim) => claims[claim] === undefined && delete claims[claim]);
    return claims;
  }

  interface SignOptions {
    header?: Record<string, unknown>;
    key?: KeyObject;
  }

  /** Signs claims with the JWKS client's key (or `key`) and header `{alg: RS256, kid: jwks-key-1}` plus changes. */
  function signGrant(claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
    const header: Record<string, unknown> = { alg: 'RS256', kid: 'jwks-key-1', ...options.header };
    Object.keys(header).forEach((name) => header[name] === undefined && delete header[name]);
    return new SignJWT(claims)
      .setProtectedHeader({ ...header, alg: String(header.alg) })
      .sign(options.key ?? clientKey.privateKey);
  }

  const grant = (changes: Record<string, unknown> = {}, options: SignOptions = {}) =>
    signGrant(grantClaims(changes), options);

  /** A grant of the seeded KMS client, signed through the simulated KMS by the gateway's own signer. */
  async function kmsGrant(request: TokenRequest, signer = kmsSigner): Promise<string> {
    const result = buildGrantClaims(
      request,
      { issuer: sim.issuer, clientId: SEEDED_CLIENT, providerOrg: PROVIDER },
      sim.app.get(SimClock).now(),
      randomUUID(),
    );
    if (!result.ok) throw new Error(result.detail);
    return signer.sign({ typ: 'JWT' }, { ...result.claims });
  }

  async function postToken(
    form: Record<string, string> | string,
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<Answer> {
    const response = await fetch(`${sim.issuer}token`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text) as Record<string, unknown>,
    };
  }

  const requestToken = (assertion: string) => postToken({ grant_type: JWT_BEARER, assertion });

  function expectRefusal(answer: Answer, error: string, code: string): void {
    expect({ status: answer.status, error: answer.body.error, uri: answer.body.error_uri }).toEqual({
      status: 400,
      error,
      // A TT02 answer: "error_uri":"https://test.maskinporten.no/errors/MP-200" (the issuer + errors/<code>).
      uri: `${sim.issuer}errors/${code}`,
    });
    expect(answer.body.error_description).toMatch(/ \(trace_id: [0-9a-f]{32}\)$/);
  }

  async function accessTokenOf(assertion: string): Promise<Record<string, unknown>> {
    const answer = await requestToken(assertion);
    expect(answer.status).toBe(200);
    return decodeJwt(String(answer.body.access_token));
  }

  async function createConsent(validToSeconds = 86_400, from = PERSON): Promise<string> {
    const id = randomUUID();
    const write = await requestToken(await kmsGrant({ scopes: [WRITE], consumerOrg: TENANT }));
    const response = await fetch(`${sim.baseUrl}${CONSENTS_PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${String(write.body.access_token)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        id,
        from: personUrn(from),
        to: `urn:altinn:organization:identifier-no:${TENANT}`,
        validTo: new Date((nowSeconds() + validToSeconds) * 1000).toISOString(),
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAAR: '2024' },
          },
        ],
        redirectUrl: 'https://bank.example/done',
      }),
    });
    expect(response.status).toBe(201);
    return id;
  }

  const consentDetails = (id: string, from = PERSON) => [
    { type: 'urn:altinn:consent', id, from: personUrn(from) },
  ];

  beforeAll(async () => {
    sim = await startTestSimulator();
    kmsSigner = new KmsJwtSigner({
      region: 'eu-north-1',
      endpoint: sim.baseUrl,
      credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
      activeKeyId: 'alias/sgw-maskinporten',
    });
    const publicJwk = await exportJWK(clientKey.publicKey);
    await sim.control('POST', '/_sim/clients', {
      clientId: JWKS_CLIENT,
      orgNumber: PROVIDER,
      scopes: [PLAIN, WRITE, READ],
      jwks: {
        keys: [
          { ...publicJwk, kid: 'jwks-key-1', use: 'sig' },
          // docs/upstream-contract.md §1: keys expire one year after upload; this one already has.
          { ...(await exportJWK(otherKey.publicKey)), kid: 'expired-key', exp: nowSeconds() - 1 },
        ],
      },
    });
  });

  afterEach(() => sim.control('PUT', '/_sim/clock', { offsetSeconds: 0 }));

  afterAll(async () => {
    kmsSigner.onModuleDestroy();
    await sim.close();
  });

  describe('metadata and keys', () => {
    it('publishes its RFC 8414 metadata with the issuer, endpoints, grant type and algorithms', async () => {
      const response = await fetch(`${sim.baseUrl}/.well-known/oauth-authorization-server`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        issuer: sim.issuer,
        token_endpoint: `${sim.issuer}token`,
        jwks_uri: `${sim.issuer}jwk`,
        grant_types_supported: [JWT_BEARER],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512'],
        authorization_details_types_supported: ['urn:altinn:systemuser', 'urn:altinn:consent'],
      });
    });

    it('publishes the public key its access tokens verify against at /jwk', async () => {
      const jwks = (await (await fetch(`${sim.issuer}jwk`)).json()) as { keys: JWK[] };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const answer = await requestToken(await grant());
      const token = String(answer.body.access_token);
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: jwks.keys[0].kid });
      await expect(
        jwtVerify(token, await importJWK(jwks.keys[0], 'RS256'), { issuer: sim.issuer }),
      ).resolves.toBeTruthy();
    });
  });

  describe('token', () => {
    it('issues a token for a grant the gateway signed through the simulated KMS', async () => {
      const answer = await requestToken(await kmsGrant({ scopes: [WRITE, READ] }));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 120,
        scope: `${READ} ${WRITE}`,
      });
      const claims = decodeJwt(String(answer.body.access_token));
      expect(claims).toEqual({
        iss: sim.issuer,
        client_id: SEEDED_CLIENT,
        client_amr: 'private_key_jwt',
        scope: `${READ} ${WRITE}`,
        token_type: 'Bearer',
        iat: expect.any(Number),
        exp: expect.any(Number),
        jti: expect.any(String),
        consumer: party(PROVIDER),
      });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    });

    it('issues a delegated token for consumer_org with the tenant as consumer and the provider as supplier', async () => {
      const claims = await accessTokenOf(await kmsGrant({ scopes: [WRITE], consumerOrg: TENANT }));
      expect(claims).toMatchObject({
        consumer: party(TENANT),
        supplier: party(PROVIDER),
        delegation_source: 'https://tt02.altinn.no/',
        scope: WRITE,
      });
      expect(claims).not.toHaveProperty('aud');
    });

    it('issues a token to a client registered with a JWKS through /_sim/clients', async () => {
      const claims = await accessTokenOf(await grant());
      expect(claims).toMatchObject({ client_id: JWKS_CLIENT, scope: PLAIN, consumer: party(PROVIDER) });
    });

    it.each(['RS384', 'RS512'])('accepts a grant signed %s', async (alg) => {
      expect((await requestToken(await grant({}, { header: { alg } }))).status).toBe(200);
    });

    it('accepts a grant whose x5c leaf certificate carries a registered key', async () => {
      const now = Date.now();
      const certificate = selfSignedCertificate(
        clientKey.privateKey,
        new Date(now - 86_400_000),
        new Date(now + 86_400_000),
      );
      const answer = await requestToken(await grant({}, { header: { kid: undefined, x5c: [certificate] } }));
      expect(answer.status).toBe(200);
    });

    it('accepts grants without jti, which Digdir recommends but does not require, and does not replay-check them', async () => {
      // https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant: jti is "Recommended".
      expect((await requestToken(await grant({ jti: undefined }))).status).toBe(200);
      expect((await requestToken(await grant({ jti: undefined }))).status).toBe(200);
    });

    it('restricts the audience to resource', async () => {
      const claims = await accessTokenOf(await grant({ resource: ['https://api.example/'] }));
      expect(claims.aud).toBe('https://api.example/');
    });

    it('issues a consent token for an accepted consent, carrying the consent in authorization_details', async () => {
      const id = await createConsent();
      await sim.control('POST', `/_sim/consents/${id}/accept`);
      const answer = await requestToken(
        await kmsGrant({
          scopes: [READ],
          consumerOrg: TENANT,
          authorizationDetails: [{ type: 'urn:altinn:consent', id, from: personUrn(PERSON) }],
        }),
      );
      expect(answer.status).toBe(200);
      expect(answer.body.expires_in).toBe(120);
      const claims = decodeJwt(String(answer.body.access_token));
      const stored = await sim.control<{ consented: string; validTo: string }>('GET', `/_sim/consents/${id}`);
      expect(claims).toMatchObject({ consumer: party(TENANT), supplier: party(PROVIDER), scope: READ });
      expect(claims.authorization_details).toEqual([
        {
          type: 'urn:altinn:consent',
          id,
          from: personUrn(PERSON),
          to: party(TENANT),
          // .NET's DateTimeOffset as Altinn writes it and Maskinporten passes it on: `+00:00`, no trailing zeros.
          consented: new Date(stored.consented).toISOString().replace(/\.?0*Z$/, '+00:00'),
          validTo: new Date(stored.validTo).toISOString().replace(/\.?0*Z$/, '+00:00'),
          consentRights: [
            {
              action: ['consent'],
              resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
              metadata: { INNTEKTSAAR: '2024' },
            },
          ],
        },
      ]);
    });

    it('counts every token request in /_sim/stats, refused ones included', async () => {
      const before = (await sim.control<{ maskinporten: { token: number } }>('GET', '/_sim/stats'))
        .maskinporten.token;
      await requestToken(await grant());
      await requestToken('not-a-jwt');
      const after = (await sim.control<{ maskinporten: { token: number } }>('GET', '/_sim/stats'))
        .maskinporten.token;
      expect(after - before).toBe(2);
    });
  });

  describe('token request refuses', () => {
    it('a JSON body with invalid_request MP-011', async () => {
      const body = JSON.stringify({ grant_type: JWT_BEARER, assertion: await grant() });
      expectRefusal(await postToken(body, 'application/json'), 'invalid_request', 'MP-011');
    });

    it.each(['application/xml', 'multipart/form-data; boundary=x'])(
      'a %s body, which the framework cannot parse, with invalid_request MP-011',
      async (contentType) => {
        expectRefusal(await postToken('<grant/>', contentType), 'invalid_request', 'MP-011');
      },
    );

    it('another grant_type with invalid_request MP-011', async () => {
      expectRefusal(
        await postToken({ grant_type: 'client_credentials', assertion: await grant() }),
        'invalid_request',
        'MP-011',
      );
    });

    it('a request without assertion with invalid_request MP-011', async () => {
      expectRefusal(await postToken({ grant_type: JWT_BEARER }), 'invalid_request', 'MP-011');
    });

    it('an assertion that is not a JWT with invalid_grant MP-011', async () => {
      expectRefusal(await requestToken('not-a-jwt'), 'invalid_grant', 'MP-011');
    });
  });

  describe('grant header refuses', () => {
    it('an unsigned grant (alg none) with invalid_grant MP-011', async () => {
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${b64({ alg: 'none', kid: 'jwks-key-1' })}.${b64(grantClaims())}.`;
      expectRefusal(await requestToken(unsigned), 'invalid_grant', 'MP-011');
    });

    it('an HMAC-signed grant (HS256) with invalid_grant MP-011', async () => {
      const hmac = await new SignJWT(grantClaims())
        .setProtectedHeader({ alg: 'HS256', kid: 'jwks-key-1' })
        .sign(new Uint8Array(32));
      expectRefusal(await requestToken(hmac), 'invalid_grant', 'MP-011');
    });

    it('an EC-signed grant (ES256) with invalid_grant MP-011', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const assertion = await grant({}, { header: { alg: 'ES256' }, key: ec.privateKey });
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-011');
    });

    it('a header with both kid and x5c with invalid_grant MP-011', async () => {
      const certificate = selfSignedCertificate(
        clientKey.privateKey,
        new Date(Date.now() - 86_400_000),
        new Date(Date.now() + 86_400_000),
      );
      expectRefusal(
        await requestToken(await grant({}, { header: { x5c: [certificate] } })),
        'invalid_grant',
        'MP-011',
      );
    });

    it('a header with neither kid nor x5c with invalid_grant MP-011', async () => {
      expectRefusal(
        await requestToken(await grant({}, { header: { kid: undefined } })),
        'invalid_grant',
        'MP-011',
      );
    });
  });

  describe('client and key refuse', () => {
    it('an unknown client (iss) with invalid_client MP-100', async () => {
      expectRefusal(await requestToken(await grant({ iss: 'no-such-client' })), 'invalid_client', 'MP-100');
    });

    it('a kid not registered on the client with invalid_grant MP-124', async () => {
      expectRefusal(
        await requestToken(await grant({}, { header: { kid: 'no-such-kid' } })),
        'invalid_grant',
        'MP-124',
      );
    });

    it('a KMS-signed grant whose kid is not the thumbprint of the registered KMS key with MP-124', async () => {
      const renamed = new KmsJwtSigner({
        region: 'eu-north-1',
        endpoint: sim.baseUrl,
        credentials: { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' },
        activeKeyId: 'alias/sgw-maskinporten',
        kids: { 'alias/sgw-maskinporten': 'provider-2025' },
      });
      try {
        expectRefusal(
          await requestToken(await kmsGrant({ scopes: [WRITE] }, renamed)),
          'invalid_grant',
          'MP-124',
        );
      } finally {
        renamed.onModuleDestroy();
      }
    });

    it('a grant signed by another key than the kid names with invalid_grant MP-124', async () => {
      expectRefusal(
        await requestToken(await grant({}, { key: otherKey.privateKey })),
        'invalid_grant',
        'MP-124',
      );
    });

    it('a grant signed by a registered key that has expired with invalid_grant MP-121', async () => {
      const assertion = await grant({}, { header: { kid: 'expired-key' }, key: otherKey.privateKey });
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-121');
    });

    it('an x5c certificate whose key is not registered on the client with invalid_grant MP-120', async () => {
      // Not even the expired key: one the client never registered.
      const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const certificate = selfSignedCertificate(
        strangerKey.privateKey,
        new Date(Date.now() - 86_400_000),
        new Date(Date.now() + 86_400_000),
      );
      const assertion = await grant(
        {},
        { header: { kid: undefined, x5c: [certificate] }, key: strangerKey.privateKey },
      );
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-120');
    });

    it('an x5c certificate that has expired with invalid_grant MP-120', async () => {
      const certificate = selfSignedCertificate(
        clientKey.privateKey,
        new Date(Date.now() - 2 * 86_400_000),
        new Date(Date.now() - 86_400_000),
      );
      const assertion = await grant({}, { header: { kid: undefined, x5c: [certificate] } });
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-120');
    });
  });

  describe('grant claims refuse', () => {
    it('the token URL as aud with invalid_grant MP-110', async () => {
      expectRefusal(
        await requestToken(await grant({ aud: `${sim.issuer}token` })),
        'invalid_grant',
        'MP-110',
      );
    });

    it('aud as an array holding the issuer with invalid_grant MP-110', async () => {
      expectRefusal(await requestToken(await grant({ aud: [sim.issuer] })), 'invalid_grant', 'MP-110');
    });

    it('a grant whose exp has passed with invalid_grant MP-130', async () => {
      const now = nowSeconds();
      expectRefusal(
        await requestToken(await grant({ iat: now - 8, exp: now - 1 })),
        'invalid_grant',
        'MP-130',
      );
    });

    it("an iat more than 10 s from the simulator's clock with invalid_grant MP-130", async () => {
      const assertion = await grant();
      await sim.control('PUT', '/_sim/clock', { offsetSeconds: -30 });
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-130');
    });

    it('exp − iat over 120 s with invalid_grant MP-130', async () => {
      expectRefusal(await requestToken(await grant({ exp: nowSeconds() + 121 })), 'invalid_grant', 'MP-130');
    });

    it('an empty jti with invalid_grant MP-011', async () => {
      expectRefusal(await requestToken(await grant({ jti: '' })), 'invalid_grant', 'MP-011');
    });

    it('a reused jti with invalid_grant MP-012 "Grant is used before"', async () => {
      const jti = randomUUID();
      expect((await requestToken(await grant({ jti }))).status).toBe(200);
      const replay = await requestToken(await grant({ jti }));
      expectRefusal(replay, 'invalid_grant', 'MP-012');
      expect(replay.body.error_description).toContain('Grant is used before');
    });

    it.each([
      ['sub', { sub: JWKS_CLIENT }],
      ['nbf', { nbf: 0 }],
      ['iss_onbehalfof', { iss_onbehalfof: 'someone' }],
    ])(
      'a claim outside the allowed set (%s) with invalid_grant MP-011 "Invalid assertion"',
      async (_claim, extra) => {
        const answer = await requestToken(await grant(extra));
        expectRefusal(answer, 'invalid_grant', 'MP-011');
        expect(answer.body.error_description).toMatch(/^Invalid assertion/);
      },
    );

    it('consumer_org together with iss_onbehalfof with invalid_grant MP-011', async () => {
      const assertion = await grant({ scope: WRITE, consumer_org: TENANT, iss_onbehalfof: 'someone' });
      expectRefusal(await requestToken(assertion), 'invalid_grant', 'MP-011');
    });

    it('a consumer_org with a bad check digit with invalid_grant MP-011', async () => {
      expectRefusal(
        await requestToken(await grant({ scope: WRITE, consumer_org: '313876145' })),
        'invalid_grant',
        'MP-011',
      );
    });

    it("the client's own org as consumer_org with invalid_grant MP-011", async () => {
      expectRefusal(
        await requestToken(await grant({ scope: WRITE, consumer_org: PROVIDER })),
        'invalid_grant',
        'MP-011',
      );
    });

    it('resource as a string instead of an array with invalid_grant MP-011', async () => {
      expectRefusal(
        await requestToken(await grant({ resource: 'https://api.example/' })),
        'invalid_grant',
        'MP-011',
      );
    });
  });

  describe('scopes refuse', () => {
    it('a grant without scope with invalid_scope MP-201', async () => {
      expectRefusal(await requestToken(await grant({ scope: undefined })), 'invalid_scope', 'MP-201');
    });

    it('a scope not registered on the client with invalid_scope MP-200', async () => {
      expectRefusal(
        await requestToken(await grant({ scope: `${PLAIN} digdir:other` })),
        'invalid_scope',
        'MP-200',
      );
    });

    it('a consumer_org that has not delegated the scope with invalid_grant MP-251 naming both orgs', async () => {
      const answer = await requestToken(await grant({ scope: WRITE, consumer_org: STRANGER }));
      expectRefusal(answer, 'invalid_grant', 'MP-251');
      expect(answer.body.error_description).toMatch(
        new RegExp(
          `^Consumer ${STRANGER} has not delegated access to the scope ${WRITE} to supplier ${PROVIDER} `,
        ),
      );
    });

    it('a scope neither on the client nor delegated by consumer_org with invalid_scope MP-200', async () => {
      expectRefusal(
        await requestToken(await grant({ scope: 'digdir:other', consumer_org: TENANT })),
        'invalid_scope',
        'MP-200',
      );
    });
  });

  describe('authorization_details refuse', () => {
    const consentGrant = (details: unknown) =>
      grant({ scope: READ, consumer_org: TENANT, authorization_details: details });

    it('an unknown type with invalid_grant MP-301', async () => {
      const details = [{ type: 'urn:altinn:other', id: randomUUID(), from: personUrn(PERSON) }];
      expectRefusal(await requestToken(await consentGrant(details)), 'invalid_grant', 'MP-301');
    });

    it('a field other than type, id and from with invalid_grant MP-302', async () => {
      const details = [
        { ...consentDetails(randomUUID())[0], to: `urn:altinn:organization:identifier-no:${TENANT}` },
      ];
      expectRefusal(await requestToken(await consentGrant(details)), 'invalid_grant', 'MP-302');
    });

    it('an id that is not a UUID with invalid_grant MP-303', async () => {
      const details = [{ type: 'urn:altinn:consent', id: 'consent-1', from: personUrn(PERSON) }];
      expectRefusal(await requestToken(await consentGrant(details)), 'invalid_grant', 'MP-303');
    });

    it('two consents in one grant with invalid_grant MP-303', async () => {
      const details = [...consentDetails(randomUUID()), ...consentDetails(randomUUID())];
      expectRefusal(await requestToken(await consentGrant(details)), 'invalid_grant', 'MP-303');
    });
  });

  describe('consent tokens refuse', () => {
    const consentToken = (id: string, from = PERSON, consumerOrg: string | null = TENANT) =>
      grant({
        scope: READ,
        consumer_org: consumerOrg ?? undefined,
        authorization_details: consentDetails(id, from),
      }).then(requestToken);

    function expectConsentRefusal(answer: Answer, why: string): void {
      expectRefusal(answer, 'invalid_grant', 'MP-303');
      expect(answer.body.error_description).toContain(why);
    }

    it('a consent that does not exist with MP-303', async () => {
      expectConsentRefusal(await consentToken(randomUUID()), 'not found');
    });

    it('a consent the person has not accepted with MP-303', async () => {
      expectConsentRefusal(await consentToken(await createConsent()), 'not accepted');
    });

    it('a consent the person revoked with MP-303', async () => {
      const id = await createConsent();
      await sim.control('POST', `/_sim/consents/${id}/accept`);
      await sim.control('POST', `/_sim/consents/${id}/revoke`);
      expectConsentRefusal(await consentToken(id), 'revoked');
    });

    it('a consent past its validTo by the simulated clock with MP-303', async () => {
      const id = await createConsent(60);
      await sim.control('POST', `/_sim/consents/${id}/accept`);
      await sim.control('PUT', '/_sim/clock', { offsetSeconds: 120 });
      expectConsentRefusal(await consentToken(id), 'expired');
    });

    it('a from other than the consent’s with MP-303', async () => {
      const id = await createConsent();
      await sim.control('POST', `/_sim/consents/${id}/accept`);
      expectConsentRefusal(await consentToken(id, OTHER_PERSON), 'another party');
    });

    it('a consent to another org than the token’s consumer with MP-303', async () => {
      const id = await createConsent();
      await sim.control('POST', `/_sim/consents/${id}/accept`);
      // Without consumer_org the consumer is the client's owner, not the tenant the consent is to.
      expectConsentRefusal(await consentToken(id, PERSON, null), `consumer ${PROVIDER}`);
    });
  });
});
