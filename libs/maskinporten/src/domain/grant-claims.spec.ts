import { buildGrantClaims, type GrantContext } from './grant-claims';
import { type TokenRequest } from './token-request';

const now = new Date('2025-11-24T12:00:00.900Z');
const iat = Date.parse('2025-11-24T12:00:00Z') / 1000;
const context: GrantContext = {
  issuer: 'https://test.maskinporten.no/',
  clientId: 'sgw-client',
  providerOrg: '310149942',
};
const consent = {
  type: 'urn:altinn:consent',
  id: '0192a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b',
  from: 'urn:altinn:person:identifier-no:03867199348',
} as const;
const write = 'altinn:consentrequests.write';
const read = 'altinn:consentrequests.read';

describe('buildGrantClaims', () => {
  it('sets aud to the issuer, iss to the client id, a 60 s lifetime and the given jti', () => {
    expect(buildGrantClaims({ scopes: [write] }, context, now, 'jti-1')).toEqual({
      ok: true,
      claims: {
        aud: 'https://test.maskinporten.no/',
        iss: 'sgw-client',
        iat,
        exp: iat + 60,
        jti: 'jti-1',
        scope: write,
      },
    });
  });

  it.each<[string, TokenRequest, Record<string, unknown>]>([
    [
      'sorted unique scopes, space-separated',
      { scopes: [write, read, write] },
      { scope: `${read} ${write}` },
    ],
    [
      'consumer_org of a tenant',
      { scopes: [write], consumerOrg: '313876144' },
      { consumer_org: '313876144' },
    ],
    [
      'resource as an array',
      { scopes: [write], resource: 'https://api.example/' },
      { resource: ['https://api.example/'] },
    ],
    [
      'sorted unique resources',
      { scopes: [write], resource: ['https://b/', 'https://a/', 'https://b/'] },
      { resource: ['https://a/', 'https://b/'] },
    ],
    [
      'one consent in authorization_details',
      { scopes: [read], consumerOrg: '313876144', authorizationDetails: [consent] },
      { consumer_org: '313876144', authorization_details: [consent] },
    ],
  ])('carries %s', (_label, request, expected) => {
    const result = buildGrantClaims(request, context, now, 'j');
    expect(result.ok && result.claims).toMatchObject(expected);
  });

  it.each<[string, TokenRequest]>([
    ['scopes only', { scopes: [write] }],
    [
      'everything',
      { scopes: [read], consumerOrg: '313876144', resource: 'r', authorizationDetails: [consent] },
    ],
  ])('carries no claim outside the contract with %s', (_label, request) => {
    const result = buildGrantClaims(request, context, now, 'j');
    const allowed = [
      'aud',
      'iss',
      'iat',
      'exp',
      'jti',
      'scope',
      'consumer_org',
      'resource',
      'authorization_details',
    ];
    expect(result.ok && Object.keys(result.claims).filter((claim) => !allowed.includes(claim))).toEqual([]);
  });

  it.each([
    [1, 1],
    [60, 60],
    [120, 120],
  ])('accepts a lifetime of %i s (exp − iat = %i)', (lifetimeSeconds, expected) => {
    const result = buildGrantClaims({ scopes: [write] }, { ...context, lifetimeSeconds }, now, 'j');
    expect(result.ok && result.claims.exp - result.claims.iat).toBe(expected);
  });

  it.each<[string, TokenRequest, Partial<GrantContext>, string]>([
    ['no scope', { scopes: [] }, {}, 'no_scope'],
    ['a scope with a space', { scopes: ['a b'] }, {}, 'invalid_scope'],
    ['an empty scope', { scopes: [''] }, {}, 'invalid_scope'],
    ['an 8-digit consumer_org', { scopes: [write], consumerOrg: '31387614' }, {}, 'invalid_consumer_org'],
    [
      'a consumer_org failing MOD11',
      { scopes: [write], consumerOrg: '313876145' },
      {},
      'invalid_consumer_org',
    ],
    [
      "the provider's own org as consumer_org",
      { scopes: [write], consumerOrg: '310149942' },
      {},
      'consumer_is_provider',
    ],
    ['an empty resource list', { scopes: [write], resource: [] }, {}, 'invalid_resource'],
    ['a blank resource', { scopes: [write], resource: ' ' }, {}, 'invalid_resource'],
    ['a lifetime over 120 s', { scopes: [write] }, { lifetimeSeconds: 121 }, 'invalid_lifetime'],
    ['a lifetime of 0', { scopes: [write] }, { lifetimeSeconds: 0 }, 'invalid_lifetime'],
    ['a fractional lifetime', { scopes: [write] }, { lifetimeSeconds: 1.5 }, 'invalid_lifetime'],
    [
      'two consents',
      { scopes: [read], authorizationDetails: [consent, consent] as unknown as [typeof consent] },
      {},
      'invalid_authorization_details',
    ],
    [
      'no consent in the list',
      { scopes: [read], authorizationDetails: [] as unknown as [typeof consent] },
      {},
      'invalid_authorization_details',
    ],
    [
      'another RAR type',
      {
        scopes: [read],
        authorizationDetails: [{ ...consent, type: 'urn:altinn:systemuser' as 'urn:altinn:consent' }],
      },
      {},
      'invalid_authorization_details',
    ],
    [
      'an extra field in the consent',
      {
        scopes: [read],
        authorizationDetails: [
          { ...consent, to: 'urn:altinn:organization:identifier-no:313876144' } as typeof consent,
        ],
      },
      {},
      'invalid_authorization_details',
    ],
    [
      'a missing from',
      { scopes: [read], authorizationDetails: [{ type: consent.type, id: consent.id } as typeof consent] },
      {},
      'invalid_authorization_details',
    ],
    [
      'a consent id that is no UUID',
      { scopes: [read], authorizationDetails: [{ ...consent, id: '42' }] },
      {},
      'invalid_authorization_details',
    ],
    [
      'a bare fødselsnummer as from',
      { scopes: [read], authorizationDetails: [{ ...consent, from: '03867199348' }] },
      {},
      'invalid_authorization_details',
    ],
  ])('refuses %s', (_label, request, contextChanges, reason) => {
    expect(buildGrantClaims(request, { ...context, ...contextChanges }, now, 'j')).toMatchObject({
      ok: false,
      reason,
    });
  });
});
