import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { adminKeyFingerprint } from '@gw/auth';
import { CONSENT_STATUSES, type ConsentStatus } from '@gw/consent';
import { adminClientFor, type AdminAnswer, answerOf } from './admin-api';
import { type EndpointView, type TenantView } from './admin-types';
import { type ConsoleSession, ConsoleSessions } from './console-sessions';
import { csrfTokenMatches } from './domain/csrf-token';
import {
  cookieIsSecure,
  sessionCookie,
  sessionCookieName,
  sessionIdFromCookies,
} from './domain/session-cookie';
import { type SessionLifetime } from './domain/session-expiry';
import { awaitingCheck } from './domain/scope-state';
import { type SafeHtml } from './html';
import { CONSOLE_CSS } from './views/console-css';
import { SignInThrottle, type SignInThrottleLimits } from './sign-in-throttle';
import { type AuditFilter, auditLogPage } from './views/audit-log.view';
import {
  CONSOLE_PATH,
  consoleUrl,
  type PageContext,
  type Problem,
  type Loaded,
  problemPage,
  signInPage,
} from './views/layout';
import { systemPage } from './views/system.view';
import { consentsSection, scopesSection, type TenantPageData, tenantPage } from './views/tenant.view';
import { onboardingPage, type TenantSearch, tenantsPage } from './views/tenants.view';

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

/** How long after a check was queued the page keeps asking for its result. */
const CHECK_PATIENCE_MS = 120_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

interface ConsoleRequest extends FastifyRequest {
  consoleSession?: ConsoleSession;
}

type Form = Record<string, string>;

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

const NOTICES: Record<string, string> = {
  checking: 'Delegation check queued.',
  revoked: 'Key revoked.',
  retried: 'Delivery queued again.',
  replayed: 'Failed and dead deliveries queued again.',
  onboarded: 'Tenant onboarded; its scopes are being checked.',
};

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

    function contextOf(request: ConsoleRequest): { context: PageContext; adminKey: string } {
      const session = request.consoleSession;
      const adminKey = session && keysByFingerprint.get(session.actor);
      if (!session || adminKey === undefined) throw new Error('console route without a session');
      return { context: { actor: session.actor, csrfToken: session.csrfToken }, adminKey };
    }

    function send(reply: FastifyReply, markup: SafeHtml, status = 200): FastifyReply {
      return reply.status(status).type('text/html; charset=utf-8').send(markup.markup);
    }

    function notFound(request: ConsoleRequest, reply: FastifyReply): FastifyReply {
      const { context } = contextOf(request);
      return send(
        reply,
        problemPage('Not found', context, {
          status: 404,
          title: 'Not found',
          detail: 'No such page or tenant.',
        }),
        404,
      );
    }

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

    scope.get(`${CONSOLE_PATH}/tenants`, async (request: ConsoleRequest, reply) => {
      const { context, adminKey } = contextOf(request);
      const query = request.query as Record<string, string | undefined>;
      const search: TenantSearch = { q: query.q?.trim(), status: query.status, delegation: query.delegation };
      const byOrgNumber = search.q !== undefined && /^\d{9}$/.test(search.q);
      const answer = await answerOf(
        adminClientFor(request, adminKey).GET('/admin/v1/tenants', {
          params: {
            query: {
              ...(search.q ? (byOrgNumber ? { orgNumber: search.q } : { q: search.q }) : {}),
              ...(search.status ? { status: search.status as 'active' } : {}),
              ...(search.delegation ? { delegation: search.delegation as 'verified' } : {}),
              ...(query.cursor ? { cursor: query.cursor } : {}),
            },
          },
        }),
      );
      return send(
        reply,
        tenantsPage(
          context,
          search,
          answer.ok ? { tenants: answer.value.data, next: answer.value.next } : { problem: answer.problem },
        ),
        answer.ok ? 200 : answer.problem.status,
      );
    });

    scope.get(`${CONSOLE_PATH}/tenants/new`, (request: ConsoleRequest, reply) =>
      send(reply, onboardingPage(contextOf(request).context, { orgNumber: '', name: '', scopes: '' })),
    );

    scope.post(`${CONSOLE_PATH}/tenants`, async (request: ConsoleRequest, reply) => {
      const { context, adminKey } = contextOf(request);
      const form = (request.body ?? {}) as Form;
      const input = { orgNumber: form.orgNumber ?? '', name: form.name ?? '', scopes: form.scopes ?? '' };
      const scopes = input.scopes
        .split(/[\s,]+/)
        .map((scope) => scope.trim())
        .filter(Boolean);
      // The admin API validates; its field-level problems are shown beside the fields.
      const answer = await answerOf(
        adminClientFor(request, adminKey).POST('/admin/v1/tenants', {
          body: { orgNumber: input.orgNumber.trim(), name: input.name, scopes },
        }),
      );
      if (!answer.ok)
        return send(reply, onboardingPage(context, input, answer.problem), answer.problem.status);
      return reply.redirect(consoleUrl(`/tenants/${answer.value.id}`, { done: 'onboarded' }), 303);
    });

    async function tenantPageData(
      request: ConsoleRequest,
      id: string,
      extra: Partial<TenantPageData> = {},
    ): Promise<{ data?: TenantPageData; problem?: Problem }> {
      const { adminKey } = contextOf(request);
      const client = adminClientFor(request, adminKey);
      const query = request.query as Record<string, string | undefined>;
      const path = { path: { id } };
      const tenant = await answerOf(client.GET('/admin/v1/tenants/{id}', { params: path }));
      if (!tenant.ok) return { problem: tenant.problem };
      const consentStatus = consentStatusOf(query.consentStatus);
      const [keys, consents, endpoints, audit] = await Promise.all([
        answerOf(client.GET('/admin/v1/tenants/{id}/api-keys', { params: path })),
        loadConsents(request, adminKey, id, consentStatus),
        answerOf(client.GET('/admin/v1/tenants/{id}/webhook-endpoints', { params: path })),
        answerOf(client.GET('/admin/v1/audit-log', { params: { query: { tenantId: id, limit: 20 } } })),
      ]);
      let webhooks: TenantPageData['webhooks'];
      if (endpoints.ok) {
        const entries = await Promise.all(
          endpoints.value.data.map(async (endpoint: EndpointView) => ({
            endpoint,
            deliveries: loaded(
              await answerOf(
                client.GET('/admin/v1/tenants/{id}/webhook-endpoints/{endpointId}/deliveries', {
                  params: { path: { id, endpointId: endpoint.id }, query: { limit: 10 } },
                }),
              ),
              (page) => page.data,
            ),
          })),
        );
        webhooks = { ok: true, value: entries };
      } else {
        webhooks = { ok: false, problem: endpoints.problem };
      }
      return {
        data: {
          tenant: tenant.value,
          pollScopes: scopesPoll(tenant.value, query.checking),
          keys: loaded(keys, (page) => page.data),
          consentFilter: { status: consentStatus },
          consents,
          webhooks,
          replaySince: new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 19) + 'Z',
          audit: loaded(audit, (page) => page.data),
          notice: query.done === undefined ? undefined : NOTICES[query.done],
          ...extra,
        },
      };
    }

    async function loadConsents(
      request: ConsoleRequest,
      adminKey: string,
      id: string,
      status: ConsentStatus | undefined,
    ) {
      return loaded(
        await answerOf(
          adminClientFor(request, adminKey).GET('/admin/v1/tenants/{id}/consent-requests', {
            params: { path: { id }, query: { limit: 50, ...(status ? { status } : {}) } },
          }),
        ),
        (page) => page.data,
      );
    }

    /** The URL the scopes section polls while a check it waits for has not answered; undefined when none. */
    function scopesPoll(tenant: TenantView, checking: string | undefined): string | undefined {
      const since =
        checking !== undefined && /^\d{13}$/.test(checking) ? Number(checking) : Date.parse(tenant.createdAt);
      if (!awaitingCheck(tenant.scopes, since, Date.now(), CHECK_PATIENCE_MS)) return undefined;
      return consoleUrl(`/tenants/${tenant.id}/scopes`, { checking: String(since) });
    }

    async function renderTenant(
      request: ConsoleRequest,
      reply: FastifyReply,
      id: string,
      extra: Partial<TenantPageData> = {},
      status = 200,
    ) {
      if (!UUID.test(id)) return notFound(request, reply);
      const { context } = contextOf(request);
      const { data, problem } = await tenantPageData(request, id, extra);
      if (!data) return send(reply, problemPage('Tenant', context, problem!), problem!.status);
      return send(reply, tenantPage(context, data), status);
    }

    const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

    scope.get(`${CONSOLE_PATH}/tenants/:id`, (request: ConsoleRequest, reply) =>
      renderTenant(request, reply, idOf(request)),
    );

    scope.get(`${CONSOLE_PATH}/tenants/:id/scopes`, async (request: ConsoleRequest, reply) => {
      const id = idOf(request);
      if (!UUID.test(id)) return notFound(request, reply);
      const { context, adminKey } = contextOf(request);
      const tenant = await answerOf(
        adminClientFor(request, adminKey).GET('/admin/v1/tenants/{id}', { params: { path: { id } } }),
      );
      if (!tenant.ok)
        return send(reply, problemPage('Tenant', context, tenant.problem), tenant.problem.status);
      const checking = (request.query as { checking?: string }).checking;
      return send(reply, scopesSection(context, tenant.value, scopesPoll(tenant.value, checking)));
    });

    scope.get(`${CONSOLE_PATH}/tenants/:id/consent-requests`, async (request: ConsoleRequest, reply) => {
      const id = idOf(request);
      if (!UUID.test(id)) return notFound(request, reply);
      const { adminKey } = contextOf(request);
      const requested = (request.query as { consentStatus?: string }).consentStatus ?? '';
      const status = consentStatusOf(requested);
      return send(reply, consentsSection(id, { status }, await loadConsents(request, adminKey, id, status)));
    });

    /** A change on a tenant: on success back to its page with a notice, else its page with the problem. */
    async function change(
      request: ConsoleRequest,
      reply: FastifyReply,
      call: Promise<AdminAnswer<unknown>>,
      done: string,
      query: Record<string, string> = {},
    ) {
      const id = idOf(request);
      const answer = await call;
      if (!answer.ok)
        return renderTenant(request, reply, id, { problem: answer.problem }, answer.problem.status);
      return reply.redirect(consoleUrl(`/tenants/${id}`, { done, ...query }), 303);
    }

    scope.post(`${CONSOLE_PATH}/tenants/:id/delegation-check`, (request: ConsoleRequest, reply) => {
      const id = idOf(request);
      if (!UUID.test(id)) return notFound(request, reply);
      const since = String(Date.now());
      const client = adminClientFor(request, contextOf(request).adminKey);
      return change(
        request,
        reply,
        answerOf(client.POST('/admin/v1/tenants/{id}/delegation-check', { params: { path: { id } } })),
        'checking',
        { checking: since },
      );
    });

    scope.post(`${CONSOLE_PATH}/tenants/:id/api-keys`, async (request: ConsoleRequest, reply) => {
      const id = idOf(request);
      if (!UUID.test(id)) return notFound(request, reply);
      const client = adminClientFor(request, contextOf(request).adminKey);
      const name = ((request.body ?? {}) as Form).name ?? '';
      const issued = await answerOf(
        client.POST('/admin/v1/tenants/{id}/api-keys', { params: { path: { id } }, body: { name } }),
      );
      if (!issued.ok)
        return renderTenant(request, reply, id, { problem: issued.problem }, issued.problem.status);
      // Shown in this answer only: no redirect, and the page is never stored (no-store, no htmx history).
      return renderTenant(request, reply, id, {
        issued: { key: issued.value.key, prefix: issued.value.prefix },
      });
    });

    // A reload after issuing a key (the address of the form) shows the tenant, never the key again.
    scope.get(`${CONSOLE_PATH}/tenants/:id/api-keys`, (request, reply) =>
      reply.redirect(consoleUrl(`/tenants/${encodeURIComponent(idOf(request))}`), 303),
    );

    scope.post(`${CONSOLE_PATH}/tenants/:id/api-keys/:keyId/revoke`, (request: ConsoleRequest, reply) => {
      const { id, keyId } = request.params as { id: string; keyId: string };
      if (!UUID.test(id) || !UUID.test(keyId)) return notFound(request, reply);
      const client = adminClientFor(request, contextOf(request).adminKey);
      return change(
        request,
        reply,
        answerOf(
          client.DELETE('/admin/v1/tenants/{id}/api-keys/{keyId}', { params: { path: { id, keyId } } }),
        ),
        'revoked',
      );
    });

    scope.post(
      `${CONSOLE_PATH}/tenants/:id/webhook-deliveries/:deliveryId/retry`,
      (request: ConsoleRequest, reply) => {
        const { id, deliveryId } = request.params as { id: string; deliveryId: string };
        if (!UUID.test(id) || !UUID.test(deliveryId)) return notFound(request, reply);
        const client = adminClientFor(request, contextOf(request).adminKey);
        return change(
          request,
          reply,
          answerOf(
            client.POST('/admin/v1/tenants/{id}/webhook-deliveries/{deliveryId}/retry', {
              params: { path: { id, deliveryId } },
            }),
          ),
          'retried',
        );
      },
    );

    scope.post(
      `${CONSOLE_PATH}/tenants/:id/webhook-endpoints/:endpointId/replay`,
      (request: ConsoleRequest, reply) => {
        const { id, endpointId } = request.params as { id: string; endpointId: string };
        if (!UUID.test(id) || !UUID.test(endpointId)) return notFound(request, reply);
        const client = adminClientFor(request, contextOf(request).adminKey);
        const since = ((request.body ?? {}) as Form).since ?? '';
        return change(
          request,
          reply,
          answerOf(
            client.POST('/admin/v1/tenants/{id}/webhook-endpoints/{endpointId}/replay', {
              params: { path: { id, endpointId } },
              body: { since },
            }),
          ),
          'replayed',
        );
      },
    );

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
      const [queues, upstreams] = await Promise.all([
        answerOf(client.GET('/admin/v1/system/queues')),
        answerOf(client.GET('/admin/v1/system/upstreams')),
      ]);
      return send(
        reply,
        systemPage(
          context,
          loaded(queues, (answer) => answer.data),
          loaded(upstreams, (answer) => answer.data),
        ),
      );
    });
    done();
  });
}

function loaded<A, T>(answer: AdminAnswer<A>, pick: (value: A) => T): Loaded<T> {
  return answer.ok ? { ok: true, value: pick(answer.value) } : answer;
}

/** A consent status filter from the query, when it names one. */
function consentStatusOf(value: string | undefined): ConsentStatus | undefined {
  return CONSENT_STATUSES.find((status) => status === value);
}
