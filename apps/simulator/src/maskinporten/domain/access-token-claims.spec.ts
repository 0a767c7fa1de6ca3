import { type SimConsent } from '../../core/consent-store';
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  buildAccessTokenClaims,
  type AccessTokenInput,
} from './access-token-claims';

const IAT = 1_750_000_000;
const BASE: AccessTokenInput = {
  issuer: 'http://127.0.0.1:3100/',
  clientId: 'client-1',
  clientOrg: '310149942',
  scopes: ['altinn:consentrequests.write', 'altinn:consentrequests.read'],
  iat: IAT,
  jti: 'jti-1',
};
const party = (org: string) => ({ authority: 'iso6523-actorid-upis', ID: `0192:${org}` });

const consent: SimConsent = {
  id: '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  from: 'urn:altinn:person:identifier-no:03867199348',
  to: 'urn:altinn:organization:identifier-no:313876144',
  requiredDelegator: null,
  handledBy: 'urn:altinn:organization:identifier-no:310149942',
  validTo: new Date('2025-07-01T00:00:00Z'),
  consentRights: [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2024' },
    },
  ],
  requestMessage: null,
  status: 'Accepted',
  consented: new Date('2025-06-01T11:00:00Z'),
  redirectUrl: 'https://bank.example/done',
  portalViewMode: 'Hide',
  templateId: 'default_v1',
  oneTime: false,
  events: [],
};

describe('access token claims', () => {
  it('makes the client owner the consumer of a plain token, with no supplier, aud or details', () => {
    expect(buildAccessTokenClaims(BASE)).toEqual({
      iss: BASE.issuer,
      client_id: 'client-1',
      client_amr: 'private_key_jwt',
      scope: 'altinn:consentrequests.write altinn:consentrequests.read',
      token_type: 'Bearer',
      iat: IAT,
      exp: IAT + ACCESS_TOKEN_LIFETIME_SECONDS,
      jti: 'jti-1',
      consumer: party('310149942'),
    });
  });

  it('makes consumer_org the consumer and the client owner the supplier of a delegated token', () => {
    expect(buildAccessTokenClaims({ ...BASE, consumerOrg: '313876144' })).toMatchObject({
      consumer: party('313876144'),
      supplier: party('310149942'),
      delegation_source: 'https://tt02.altinn.no/',
    });
  });

  it.each([
    [['urn:one'], 'urn:one'],
    [
      ['urn:one', 'urn:two'],
      ['urn:one', 'urn:two'],
    ],
  ])('sets aud from resource %j', (resource, aud) => {
    expect(buildAccessTokenClaims({ ...BASE, resource }).aud).toEqual(aud);
  });

  it('carries the consent with its parties, dates and rights', () => {
    const claims = buildAccessTokenClaims({ ...BASE, consumerOrg: '313876144', consent });
    expect(claims.authorization_details).toEqual([
      {
        type: 'urn:altinn:consent',
        id: consent.id,
        from: consent.from,
        to: party('313876144'),
        consented: '2025-06-01T11:00:00+00:00',
        validTo: '2025-07-01T00:00:00+00:00',
        consentRights: consent.consentRights,
      },
    ]);
    expect(claims.exp - claims.iat).toBe(120);
  });
});
