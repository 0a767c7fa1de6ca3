import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CONSENT_STATUSES, type ConsentStatus } from '@gw/consent';
import { adminClientFor, type AdminAnswer, answerOf } from './admin-api';
import { type EndpointView, type TenantView } from './admin-types';
import { type ConsoleRequest, type ConsoleRouteKit, type Form, loaded } from './console-routes';
import { awaitingCheck } from './domain/scope-state';
import { CONSOLE_PATH, consoleUrl, type Problem, problemPage } from './views/layout';
import { consentsSection, scopesSection, type TenantPageData, tenantPage } from './views/tenant.view';
import { onboardingPage, type TenantSearch, tenantsPage } from './views/tenants.view';

/** How long after a check was queued the page keeps asking for its result. */
const CHECK_PATIENCE_MS = 120_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NOTICES: Record<string, string> = {
  checking: 'Delegation check queued.',
  revoked: 'Key revoked.',
  retried: 'Delivery queued again.',
  replayed: 'Failed and dead deliveries queued again.',
  onboarded: 'Tenant onboarded; its scopes are being checked.',
};

/** The tenants, onboarding and a tenant's page with its parts and changes, each over the admin API. */
export function registerTenantRoutes(scope: FastifyInstance, kit: ConsoleRouteKit): void {
  const { contextOf, send, notFound } = kit;

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
    if (!answer.ok) return send(reply, onboardingPage(context, input, answer.problem), answer.problem.status);
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
    if (!tenant.ok) return send(reply, problemPage('Tenant', context, tenant.problem), tenant.problem.status);
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
      answerOf(client.DELETE('/admin/v1/tenants/{id}/api-keys/{keyId}', { params: { path: { id, keyId } } })),
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
}

/** A consent status filter from the query, when it names one. */
function consentStatusOf(value: string | undefined): ConsentStatus | undefined {
  return CONSENT_STATUSES.find((status) => status === value);
}
