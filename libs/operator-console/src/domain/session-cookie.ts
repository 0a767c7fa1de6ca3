/** The session cookie's name: with `Secure`, the `__Host-` prefix pins it to this host and path `/`. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sgw_console' : 'sgw_console';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Whether the cookie gets `Secure`: always, except for plain HTTP to this machine's loopback (a
 * developer's `npm start`), where a browser would refuse to send a Secure cookie back. Behind a
 * TLS-terminating proxy the host is not a loopback name, so the cookie is Secure there.
 */
export function cookieIsSecure(protocol: string, hostname: string): boolean {
  return !(protocol === 'http' && LOOPBACK.has(hostname.toLowerCase()));
}

/** `Set-Cookie` for a session id: HttpOnly, SameSite=Strict, path `/`; `maxAgeSeconds` 0 clears it. */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${sessionCookieName(options.secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session id a `Cookie` header carries under `name`, if any. */
export function sessionIdFromCookies(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
