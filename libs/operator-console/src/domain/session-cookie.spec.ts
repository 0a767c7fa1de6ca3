import { cookieIsSecure, sessionCookie, sessionIdFromCookies } from './session-cookie';

describe('cookieIsSecure', () => {
  it.each([
    ['http', 'localhost', false],
    ['http', '127.0.0.1', false],
    ['http', '[::1]', false],
    ['https', 'localhost', true],
    ['http', 'console.example.no', true],
    ['https', 'console.example.no', true],
  ])('over %s to %s is %s', (protocol, host, secure) => {
    expect(cookieIsSecure(protocol, host)).toBe(secure);
  });
});

describe('sessionCookie', () => {
  it('is HttpOnly and SameSite=Strict, and Secure with the __Host- prefix outside loopback', () => {
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toBe(
      '__Host-sgw_console=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure',
    );
    expect(sessionCookie('abc', { secure: false, maxAgeSeconds: 0 })).toBe(
      'sgw_console=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });
});

describe('sessionIdFromCookies', () => {
  const id = 'A'.repeat(43);

  it('finds the named cookie among others', () => {
    expect(sessionIdFromCookies(`other=1; sgw_console=${id}; x=y`, 'sgw_console')).toBe(id);
  });

  it.each([undefined, '', 'sgw_console=', `sgw_consolex=${id}`, 'sgw_console=short', `sgw_console=${id}%00`])(
    'finds none in %j',
    (header) => {
      expect(sessionIdFromCookies(header, 'sgw_console')).toBeUndefined();
    },
  );
});
