import { adminKeyFromAuthorization } from './admin-credentials';

const basic = (userAndPassword: string) => `Basic ${Buffer.from(userAndPassword).toString('base64')}`;

describe('adminKeyFromAuthorization', () => {
  it.each([
    ['a bearer token', 'Bearer admin-key-0123456789abcdef', 'admin-key-0123456789abcdef'],
    ['basic credentials, the key as password', basic('operator:admin-key-0123'), 'admin-key-0123'],
    ['basic credentials with an empty user', basic(':admin:key'), 'admin:key'],
    ['basic credentials without a password', basic('operator:'), undefined],
    ['basic credentials without a colon', basic('admin-key'), undefined],
    ['another scheme', 'Digest abc', undefined],
    ['no header', undefined, undefined],
    ['several headers', ['Bearer a', 'Bearer b'], undefined],
  ])('reads %s', (_case, header, expected) => {
    expect(adminKeyFromAuthorization(header)).toBe(expected);
  });
});
