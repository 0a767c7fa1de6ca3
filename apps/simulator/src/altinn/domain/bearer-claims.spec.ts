import { iso6523 } from '../../core/access-token';
import { bearerTokenOf, callerOf, hasScopeFor } from './bearer-claims';

describe('bearer token header', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER   abc.def.ghi ', 'abc.def.ghi'],
  ])('reads the token of %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it.each([[undefined], [''], ['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b'], ['Bearerabc']])(
    'finds no token in %j',
    (header) => {
      expect(bearerTokenOf(header)).toBeUndefined();
    },
  );
});

describe('consent scopes', () => {
  it.each([
    ['create', 'altinn:consentrequests.write', true],
    ['create', 'openid altinn:consentrequests.write', true],
    ['create', 'altinn:consentrequests.read', false],
    ['create', 'altinn:consentrequests.org', true],
    ['read', 'altinn:consentrequests.read', true],
    ['read', 'altinn:consentrequests.write', true],
    ['read', 'altinn:consentrequests.org', true],
    ['read', 'altinn:consentrequests.readx', false],
    ['read', undefined, false],
  ] as const)('%s with scope %j → %s', (operation, scope, allowed) => {
    expect(hasScopeFor(operation, scope)).toBe(allowed);
  });
});

describe('the caller of a token', () => {
  it('is the consumer, with the supplier as handledBy', () => {
    expect(callerOf({ consumer: iso6523('313876144'), supplier: iso6523('310149942') })).toEqual({
      consumerOrg: '313876144',
      consumerUrn: 'urn:altinn:organization:identifier-no:313876144',
      supplierUrn: 'urn:altinn:organization:identifier-no:310149942',
    });
  });

  it('has no handledBy without a usable supplier', () => {
    expect(
      callerOf({ consumer: iso6523('313876144'), supplier: { authority: 'x', ID: '0192:310149942' } }),
    ).toMatchObject({ supplierUrn: null });
  });

  it.each([
    ['no consumer', {}],
    ['another authority', { consumer: { authority: 'iso6523-actorid-upis-x', ID: '0192:313876144' } }],
    ['a non-Norwegian scheme', { consumer: { authority: 'iso6523-actorid-upis', ID: '0088:313876144' } }],
    ['a bad check digit', { consumer: iso6523('313876145') }],
    ['a string', { consumer: '0192:313876144' }],
  ])('is nobody with %s', (_case, claims) => {
    expect(callerOf(claims)).toBeUndefined();
  });
});
