import { decodeGrant } from './grant-jwt';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('grant decoding', () => {
  it('reads header and claims of a compact JWS without verifying it', () => {
    expect(decodeGrant(`${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'c' })}.c2ln`)).toEqual({
      ok: true,
      value: { header: { alg: 'RS256', kid: 'k' }, claims: { iss: 'c' } },
    });
  });

  it.each([
    ['an opaque string', 'not-a-jwt'],
    ['five parts (a JWE)', 'a.b.c.d.e'],
    ['a header that is not JSON', `${b64('nope')}.${b64({ iss: 'c' })}.c2ln`],
    ['claims that are not a JSON object', `${b64({ alg: 'RS256' })}.${b64('[1]')}.c2ln`],
  ])('refuses %s with invalid_grant MP-011', (_case, assertion) => {
    expect(decodeGrant(assertion)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_grant', code: 'MP-011' },
    });
  });
});
