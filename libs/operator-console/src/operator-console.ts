import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { adminKeyFingerprint } from '@gw/auth';
import { adminClientFor, answerOf } from './admin-api';
import { ConsoleSessions } from './console-sessions';
import { csrfTokenMatches } from './domain/csrf-token';
import {
  cookieIsSecure,
  sessionCookie,
  sessionCookieName,
  sessionIdFromCookies,
} from './domain/session-cookie';
import { type SessionLifetime } from './domain/session-expiry';
import { type ConsoleRequest, consoleRouteKit, type Form, loaded } from './console-routes';
import { registerTenantRoutes } from './tenant-routes';
import { CONSOLE_CSS } from './views/console-css';
import { SignInThrottle, type SignInThrottleLimits } from './sign-in-throttle';
import { type AuditFilter, auditLogPage } from './views/audit-log.view';
import { CONSOLE_PATH, consoleUrl, type Problem, problemPage, signInPage } from './views/layout';
import { systemPage } from './views/system.view';

export interface OperatorConsoleOptions {
  redis: Redis;
  /** Prefix of the console's Redis keys (the process's QUEUE_PREFIX and a colon). */
  keyPrefix: string;
  /** The gateway's admin keys (ADMIN_API_KEY): a session names one by fingerprint and never stores it. */
  adminApiKeys: readonly string[];
  /** Checks a presented admin key as the admin API's guard does; answers its fingerprint or throws. */
  authenticate: (presented: string | undefined) => string;
  /** Answers a refused request with the app's problem document. */
  refuse: (error: unknown, request: FastifyRequest, reply: FastifyReply) => void;
  /** Default: 30 minutes idle, 8 hours in all. */
  lifetime?: SessionLifetime;
  /** Failed sign-ins per client address: default 10 in 15 minutes. */
  signInLimits?: SignInThrottleLimits;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleSeconds: 30 * 60, absoluteSeconds: 8 * 3600 };

/** The system page's look back at upstream calls and the token cache. */
const TRAFFIC_MINUTES = 15;
/**
 * The policy of the console's pages: the HTML policy of the other UIs, except that its forms post to
 * itself (`form-action 'self'`). Scripts only from files of this origin: htmx, no inline script.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const READS = new Set(['GET', 'HEAD']);

/** A change without its session's synchronizer token; answered 403. */
class ConsoleCsrfError extends Error {
  override readonly name = 'ConsoleCsrfError';
  readonly statusCode = 403;
  constructor() {
    super(
      'A console change must carry the session’s CSRF token (the _csrf field or the X-CSRF-Token header)',
    );
  }
}

/** A change without a live session; answered 401. */
class ConsoleSignInRequiredError extends Error {
  override readonly name = 'ConsoleSignInRequiredError';
  readonly statusCode = 401;
  constructor() {
    super('Sign in to the console first: the session is missing or has expired');
  }
}

/** Assets served from files: htmx from its package, the console's own stylesheet. */
function loadAssets(): Record<string, { type: string; body: Buffer }> {
  return {
    'htmx.min.js': {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')),
    },
    'console.css': {
      type: 'text/css; charset=utf-8',
      body: Buffer.from(CONSOLE_CSS, 'utf8'),
    },
  };
}

/**
 * The operator console at `/console`: server-rendered pages with htmx, a backend-for-frontend whose
 * browser side holds only an HttpOnly session cookie. Its server side calls the admin API through the
 * typed client with the signed-in operator's key. Register on the management listener, before it listens.
 */
export function mountOperatorConsole(fastify: FastifyInstance, options: OperatorConsoleOptions): void {
  const assets = loadAssets();
  const sessions = new ConsoleSessions(
    options.redis,
    options.keyPrefix,
    options.lifetime ?? DEFAULT_SESSION_LIFETIME,
  );
  const signInThrottle = new SignInThrottle(options.redis, options.keyPrefix, options.signInLimits);
  const keysByFingerprint = new Map(options.adminApiKeys.map((key) => [adminKeyFingerprint(key), key]));
  const routeKit = consoleRouteKit(keysByFingerprint);

  void fastify.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => {
        const form: Form = {};
        for (const [name, value] of new URLSearchParams(body as string)) form[name] = value;
        done(null, form);
      },
    );

    scope.addHook('onSend', (_request, reply, payload, done) => {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('text/html')) {
        void reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
      }
      done(null, payload);
    });

    // Every page but sign-in and the assets needs a live session.
    scope.addHook('onRequest', async (request: ConsoleRequest, reply) => {
      const path = request.routeOptions.url ?? '';
      if (path === `${CONSOLE_PATH}/sign-in` || path.startsWith(`${CONSOLE_PATH}/assets/`)) return;
      const id = sessionIdFromCookies(request.headers.cookie, cookieName(request));
      const session = id === undefined ? undefined : await sessions.use(id);
      if (session && keysByFingerprint.has(session.actor)) {
        request.consoleSession = session;
        return;
      }
      const signIn = consoleUrl('/sign-in');
      if (request.headers['hx-request'] === 'true') void reply.header('hx-redirect', signIn);
      if (READS.has(request.method)) return reply.redirect(signIn, 303);
      options.refuse(new ConsoleSignInRequiredError(), request, reply);
      return reply;
    });

    // Every change carries the session's synchronizer token, as a form field or (htmx) a header.
    scope.addHook('preHandler', async (request: ConsoleRequest, reply) => {
      if (READS.has(request.method) || request.consoleSession === undefined) return;
      const header = request.headers['x-csrf-token'];
      const field = (request.body as Form | undefined)?._csrf;
      const presented = typeof header === 'string' ? header : field;
      if (csrfTokenMatches(request.consoleSession.csrfToken, presented)) return;
      options.refuse(new ConsoleCsrfError(), request, reply);
      return reply;
    });

    function cookieName(request: FastifyRequest): string {
      return sessionCookieName(cookieIsSecure(request.protocol, request.hostname));
    }

    const { contextOf, send } = routeKit;

    scope.get(`${CONSOLE_PATH}/assets/:name`, (request, reply) => {
      const asset = assets[(request.params as { name: string }).name];
      if (!asset) return reply.status(404).type('text/plain').send('Not found');
      return reply.header('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
    });

    scope.get(CONSOLE_PATH, (_request, reply) => reply.redirect(consoleUrl('/tenants'), 303));

    scope.get(`${CONSOLE_PATH}/sign-in`, (_request, reply) => send(reply, signInPage()));

    scope.post(`${CONSOLE_PATH}/sign-in`, async (request, reply) => {
      const wait = await signInThrottle.waitFor(request.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        return send(reply, signInPage({ error: `Too many failed sign-ins: try again in ${wait} s.` }), 429);
      }
      const presented = (request.body as Form | undefined)?.adminKey?.trim();
      let actor: string;
      try {
        actor = options.authenticate(presented === '' ? undefined : presented);
      } catch {
        await signInThrottle.recordFailure(request.ip);
        return send(reply, signInPage({ error: 'That is not an admin key of this gateway.' }), 401);
      }
      const session = await sessions.create(actor);
      const secure = cookieIsSecure(request.protocol, request.hostname);
      void reply.header(
        'set-cookie',
        sessionCookie(session.id, { secure, maxAgeSeconds: sessions.lifetime.absoluteSeconds }),
      );
      return reply.redirect(consoleUrl('/tenants'), 303);
    });

    scope.post(`${CONSOLE_PATH}/sign-out`, async (request: ConsoleRequest, reply) => {
      if (request.consoleSession) await sessions.end(request.consoleSession.id);
      const secure = cookieIsSecure(request.protocol, request.hostname);
      void reply.header('set-cookie', sessionCookie('', { secure, maxAgeSeconds: 0 }));
      return reply.redirect(consoleUrl('/sign-in'), 303);
    });

    registerTenantRoutes(scope, routeKit);

    function auditFilterOf(request: FastifyRequest): AuditFilter {
      const query = request.query as Record<string, string | undefined>;
      const filter: AuditFilter = {};
      for (const name of ['tenantId', 'actor', 'action', 'target', 'from', 'to'] as const) {
        const value = query[name]?.trim();
        if (value) filter[name] = value;
      }
      return filter;
    }

    scope.get(`${CONSOLE_PATH}/audit-log`, async (request: ConsoleRequest, reply) => {
      const { context, adminKey } = contextOf(request);
      const filter = auditFilterOf(request);
      const cursor = (request.query as { cursor?: string }).cursor;
      const answer = await answerOf(
        adminClientFor(request, adminKey).GET('/admin/v1/audit-log', {
          params: { query: { ...filter, ...(cursor ? { cursor } : {}) } },
        }),
      );
      return send(
        reply,
        auditLogPage(
          context,
          filter,
          answer.ok ? { records: answer.value.data, next: answer.value.next } : { problem: answer.problem },
        ),
        answer.ok ? 200 : answer.problem.status,
      );
    });

    scope.get(`${CONSOLE_PATH}/audit-log/export`, async (request: ConsoleRequest, reply) => {
      const { context, adminKey } = contextOf(request);
      const client = adminClientFor(request, adminKey);
      try {
        const { response, error } = await client.GET('/admin/v1/audit-log/export', {
          params: { query: auditFilterOf(request) },
          parseAs: 'stream',
        });
        if (!response.ok || response.body === null) {
          const problem = (error as Problem | undefined) ?? {
            status: response.status,
            title: 'Export refused',
            detail: 'The admin API refused the export.',
          };
          return send(reply, problemPage('Audit log export', context, problem), response.status);
        }
        return reply
          .type('application/x-ndjson')
          .header('content-disposition', 'attachment; filename="audit-log.ndjson"')
          .send(Readable.fromWeb(response.body));
      } catch (error) {
        const detail = error instanceof Error ? error.message : 'The console could not reach the admin API.';
        return send(
          reply,
          problemPage('Audit log export', context, { status: 502, title: 'Admin API unreachable', detail }),
          502,
        );
      }
    });

    scope.get(`${CONSOLE_PATH}/system`, async (request: ConsoleRequest, reply) => {
      const { context, adminKey } = contextOf(request);
      const client = adminClientFor(request, adminKey);
      const [queues, upstreams, traffic] = await Promise.all([
        answerOf(client.GET('/admin/v1/system/queues')),
        answerOf(client.GET('/admin/v1/system/upstreams')),
        answerOf(client.GET('/admin/v1/system/traffic', { params: { query: { minutes: TRAFFIC_MINUTES } } })),
      ]);
      return send(
        reply,
        systemPage(
          context,
          loaded(queues, (answer) => answer.data),
          loaded(upstreams, (answer) => answer.data),
          loaded(traffic, (answer) => answer),
        ),
      );
    });
    done();
  });
}
