import { type FastifyInstance, type FastifyRequest } from 'fastify';

/**
 * The policy of every HTML page (Swagger UI, bull-board): scripts, styles, images and API calls from this
 * origin only, no inline script or style, no plugins, no forms that navigate, no framing. Both UIs render
 * in full under it (checked in headless Chromium): they load their scripts and CSS from files, set styles
 * through the DOM (which CSP does not govern), and bull-board's one inline script is a JSON data block,
 * never executed. What it blocks is cosmetic: the `<style>` inside the two UIs' SVG logos, bull-board's
 * loading placeholder and its Google Fonts stylesheet (the system font is used). `data:` images are the
 * icons inlined in the UIs' CSS; `base-uri 'self'` lets bull-board's `<base href>` stand.
 */
export const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecurityHeadersOptions {
  /**
   * Path prefixes (e.g. `/v1`) whose every answer is `Cache-Control: no-store`, whatever the handler set:
   * they carry fødselsnummer, tokens and keys. Other answers get `no-store` unless their handler chose.
   */
  noStorePrefixes: readonly string[];
}

/**
 * On every answer, errors and 404s included: `X-Content-Type-Options: nosniff`, `Cache-Control`
 * per `noStorePrefixes`, and on HTML pages a strict Content-Security-Policy with `frame-ancestors 'none'`.
 * An `onSend` hook on the root instance, so it covers routes of every plugin and Nest alike.
 */
export function installSecurityHeaders(fastify: FastifyInstance, options: SecurityHeadersOptions): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-content-type-options', 'nosniff');
    if (isUnder(request, options.noStorePrefixes) || !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.toLowerCase().startsWith('text/html')) {
      void reply.header('content-security-policy', HTML_CONTENT_SECURITY_POLICY);
    }
    done(null, payload);
  });
}

/** The matched route's pattern and the raw path both count, so an encoded path cannot slip past. */
function isUnder(request: FastifyRequest, prefixes: readonly string[]): boolean {
  const paths = [request.url.split('?')[0], request.routeOptions.url].filter(
    (path): path is string => typeof path === 'string',
  );
  return paths.some((path) =>
    prefixes.some(
      (prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
    ),
  );
}
