import { bearerToken } from './bearer-token';

describe('bearerToken', () => {
  it.each<[string, string | string[] | undefined, string | undefined]>([
    ['a bearer token', 'Bearer sgw_test_abc', 'sgw_test_abc'],
    ['a lower-case scheme', 'bearer sgw_test_abc', 'sgw_test_abc'],
    ['no header', undefined, undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz', undefined],
    ['a scheme without token', 'Bearer ', undefined],
    ['two tokens', 'Bearer a b', undefined],
    ['a repeated header', ['Bearer a', 'Bearer b'], undefined],
  ])('reads %s', (_name, header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
