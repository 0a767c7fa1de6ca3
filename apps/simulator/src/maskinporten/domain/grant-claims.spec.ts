import { checkGrantClaims, type GrantClaimContext } from './grant-claims';

const NOW = 1_750_000_000;
const ISSUER = 'http://127.0.0.1:3100/';
const CONTEXT: GrantClaimContext = { issuer: ISSUER, nowSeconds: NOW, clientOrg: '310149942' };
const CONSENT_ID = '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const PERSON = 'urn:altinn:person:identifier-no:03867199348';

const grant = (changes: Record<string, unknown> = {}): Record<string, unknown> => {
  const claims: Record<string, unknown> = {
    aud: ISSUER,
    iss: 'client-1',
    iat: NOW,
    exp: NOW + 60,
    jti: 'jti-1',
    scope: 'altinn:consentrequests.write',
    ...changes,
  };
  Object.keys(claims).forEach((claim) => claims[claim] === undefined && delete claims[claim]);
  return claims;
};

describe('grant claims', () => {
  it('reads a plain grant', () => {
    expect(checkGrantClaims(grant(), CONTEXT)).toEqual({
      ok: true,
      value: { clientId: 'client-1', jti: 'jti-1', exp: NOW + 60, scopes: ['altinn:consentrequests.write'] },
    });
  });

  it('reads a grant without jti (Digdir recommends it, does not require it)', () => {
    expect(checkGrantClaims(grant({ jti: undefined }), CONTEXT)).toMatchObject({
      ok: true,
      value: { jti: undefined },
    });
  });

  it('reads a delegated consent grant with every optional claim', () => {
    const verdict = checkGrantClaims(
      grant({
        scope: 'a:b  c:d a:b',
        consumer_org: '313876144',
        resource: ['urn:x', 'urn:x'],
        authorization_details: [{ type: 'urn:altinn:consent', id: CONSENT_ID, from: PERSON }],
      }),
      CONTEXT,
    );
    expect(verdict).toEqual({
      ok: true,
      value: {
        clientId: 'client-1',
        jti: 'jti-1',
        exp: NOW + 60,
        scopes: ['a:b', 'c:d'],
        consumerOrg: '313876144',
        resource: ['urn:x'],
        consent: { id: CONSENT_ID, from: PERSON },
      },
    });
  });

  it.each([
    ['iat 10 s behind', { iat: NOW - 10, exp: NOW + 60 }],
    ['iat 10 s ahead', { iat: NOW + 10, exp: NOW + 70 }],
    ['exp − iat of exactly 120 s', { exp: NOW + 120 }],
  ])('accepts %s', (_case, changes) => {
    expect(checkGrantClaims(grant(changes), CONTEXT).ok).toBe(true);
  });

  it.each([
    ['an unknown claim', { sub: 'client-1' }, 'invalid_grant', 'MP-011'],
    ['nbf, which is not among the allowed claims', { nbf: NOW }, 'invalid_grant', 'MP-011'],
    ['iss_onbehalfof', { iss_onbehalfof: 'x' }, 'invalid_grant', 'MP-011'],
    [
      'iss_onbehalfof with consumer_org',
      { iss_onbehalfof: 'x', consumer_org: '313876144' },
      'invalid_grant',
      'MP-011',
    ],
    ['the token URL as aud', { aud: `${ISSUER}token` }, 'invalid_grant', 'MP-110'],
    ['the issuer without its trailing slash', { aud: ISSUER.slice(0, -1) }, 'invalid_grant', 'MP-110'],
    ['aud as an array', { aud: [ISSUER] }, 'invalid_grant', 'MP-110'],
    ['no aud', { aud: undefined }, 'invalid_grant', 'MP-110'],
    ['no iss', { iss: undefined }, 'invalid_grant', 'MP-011'],
    ['no iat', { iat: undefined }, 'invalid_grant', 'MP-011'],
    ['exp as a string', { exp: String(NOW + 60) }, 'invalid_grant', 'MP-011'],
    ['an exp in the past', { iat: NOW - 5, exp: NOW - 1 }, 'invalid_grant', 'MP-130'],
    ['an exp of now', { iat: NOW - 5, exp: NOW }, 'invalid_grant', 'MP-130'],
    ['iat 11 s behind', { iat: NOW - 11 }, 'invalid_grant', 'MP-130'],
    ['iat 11 s ahead', { iat: NOW + 11, exp: NOW + 71 }, 'invalid_grant', 'MP-130'],
    ['exp − iat of 121 s', { exp: NOW + 121 }, 'invalid_grant', 'MP-130'],
    ['exp before iat', { iat: NOW + 5, exp: NOW + 4 }, 'invalid_grant', 'MP-130'],
    ['an empty jti', { jti: '' }, 'invalid_grant', 'MP-011'],
    ['no scope', { scope: undefined }, 'invalid_scope', 'MP-201'],
    ['a blank scope', { scope: '  ' }, 'invalid_scope', 'MP-201'],
    ['scopes as an array', { scope: ['a:b'] }, 'invalid_scope', 'MP-201'],
    ['a scope with a quote', { scope: 'a"b' }, 'invalid_scope', 'MP-201'],
    ['a consumer_org of 8 digits', { consumer_org: '31387614' }, 'invalid_grant', 'MP-011'],
    ['a consumer_org with a bad check digit', { consumer_org: '313876145' }, 'invalid_grant', 'MP-011'],
    ['a numeric consumer_org', { consumer_org: 313876144 }, 'invalid_grant', 'MP-011'],
    ["the client's own org as consumer_org", { consumer_org: '310149942' }, 'invalid_grant', 'MP-011'],
    ['resource as a string', { resource: 'urn:x' }, 'invalid_grant', 'MP-011'],
    ['an empty resource array', { resource: [] }, 'invalid_grant', 'MP-011'],
    ['a blank resource', { resource: [''] }, 'invalid_grant', 'MP-011'],
    ['a second consent', { authorization_details: [{}, {}] }, 'invalid_grant', 'MP-303'],
  ])('refuses %s with %s %s', (_case, changes, error, code) => {
    expect(checkGrantClaims(grant(changes), CONTEXT)).toMatchObject({ ok: false, refusal: { error, code } });
  });
});
