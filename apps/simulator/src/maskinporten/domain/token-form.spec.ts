import { JWT_BEARER_GRANT_TYPE, readTokenForm } from './token-form';

const FORM = 'application/x-www-form-urlencoded';

describe('token request form', () => {
  it.each([
    [FORM, { grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'a.b.c' }],
    [
      'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      { grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'a.b.c' },
    ],
  ])('reads the assertion of a %s body', (contentType, body) => {
    expect(readTokenForm(contentType, body)).toEqual({ ok: true, value: { assertion: 'a.b.c' } });
  });

  it.each([
    ['a JSON body', 'application/json', { grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'a.b.c' }],
    ['no content type', undefined, undefined],
    ['no grant_type', FORM, { assertion: 'a.b.c' }],
    ['client credentials', FORM, { grant_type: 'client_credentials', assertion: 'a.b.c' }],
    [
      'a repeated grant_type',
      FORM,
      { grant_type: [JWT_BEARER_GRANT_TYPE, JWT_BEARER_GRANT_TYPE], assertion: 'x' },
    ],
    ['no assertion', FORM, { grant_type: JWT_BEARER_GRANT_TYPE }],
    ['an empty assertion', FORM, { grant_type: JWT_BEARER_GRANT_TYPE, assertion: '' }],
    ['a repeated assertion', FORM, { grant_type: JWT_BEARER_GRANT_TYPE, assertion: ['a', 'b'] }],
  ])('refuses %s with invalid_request MP-011', (_case, contentType, body) => {
    expect(readTokenForm(contentType, body)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_request', code: 'MP-011' },
    });
  });
});
