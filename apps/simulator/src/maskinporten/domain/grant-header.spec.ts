import { checkGrantHeader } from './grant-header';

describe('grant header', () => {
  it.each(['RS256', 'RS384', 'RS512'])('accepts %s with a kid', (alg) => {
    expect(checkGrantHeader({ alg, kid: 'k1', typ: 'JWT' })).toEqual({
      ok: true,
      value: { alg, key: { kind: 'kid', kid: 'k1' } },
    });
  });

  it('accepts an x5c chain instead of a kid', () => {
    expect(checkGrantHeader({ alg: 'RS256', x5c: ['MIIB', 'MIIC+/=='] })).toEqual({
      ok: true,
      value: { alg: 'RS256', key: { kind: 'x5c', chain: ['MIIB', 'MIIC+/=='] } },
    });
  });

  it.each([
    ['alg none', { alg: 'none', kid: 'k1' }],
    ['HS256', { alg: 'HS256', kid: 'k1' }],
    ['ES256', { alg: 'ES256', kid: 'k1' }],
    ['PS256', { alg: 'PS256', kid: 'k1' }],
    ['no alg', { kid: 'k1' }],
    ['both kid and x5c', { alg: 'RS256', kid: 'k1', x5c: ['MIIB'] }],
    ['neither kid nor x5c', { alg: 'RS256' }],
    ['an empty kid', { alg: 'RS256', kid: '' }],
    ['a numeric kid', { alg: 'RS256', kid: 1 }],
    ['x5c as a string', { alg: 'RS256', x5c: 'MIIB' }],
    ['an empty x5c', { alg: 'RS256', x5c: [] }],
    ['base64url in x5c', { alg: 'RS256', x5c: ['MII_-B'] }],
  ])('refuses %s with invalid_grant MP-011', (_case, header) => {
    expect(checkGrantHeader(header)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_grant', code: 'MP-011' },
    });
  });
});
