import { type CanActivate, RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { AdminKeyGuard, TenantKeyGuard } from '@gw/auth';
import { GatewayTestKit } from './gateway-test-kit';

interface Route {
  method: string;
  path: string;
  guards: Type<CanActivate>[];
}

const join = (...parts: string[]) =>
  `/${parts
    .map((part) => part.replace(/^\/|\/$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/** Every route of every controller in the gateway, with the guards that apply to it. */
function routesOf(kit: GatewayTestKit): Route[] {
  const routes: Route[] = [];
  for (const module of kit.gateway.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[];
      const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as Type<CanActivate>[];
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const guards = [
          ...classGuards,
          ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as Type<CanActivate>[]),
        ];
        for (const prefix of [base].flat()) {
          for (const suffix of [path].flat()) routes.push({ method, path: join(prefix, suffix), guards });
        }
      }
    }
  }
  return routes;
}

describe('route guards', () => {
  const kit = new GatewayTestKit();
  let routes: Route[];

  beforeAll(async () => {
    await kit.start();
    routes = routesOf(kit);
  });
  afterAll(async () => {
    await kit.close();
  });

  it('finds the routes of the tenant and admin APIs', () => {
    const paths = routes.map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /v1/tenant',
        'POST /admin/v1/tenants',
        'DELETE /admin/v1/tenants/:id/api-keys/:keyId',
        'GET /admin/v1/signing/jwks',
        'GET /admin/v1/audit-log',
      ]),
    );
  });

  it('guards every /admin/v1 route with the admin key and every /v1 route with a tenant key', () => {
    const unguarded = routes.filter(
      (route) =>
        (route.path.startsWith('/admin/v1/') && !route.guards.includes(AdminKeyGuard)) ||
        ((route.path === '/v1' || route.path.startsWith('/v1/')) && !route.guards.includes(TenantKeyGuard)),
    );
    expect(unguarded.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('answers 401 problem+json on every guarded route when no key is sent', async () => {
    const guarded = routes.filter(
      (route) => route.path.startsWith('/admin/v1/') || route.path.startsWith('/v1/'),
    );
    expect(guarded.length).toBeGreaterThan(5);
    for (const route of guarded) {
      const path = route.path.replace(/:[A-Za-z]+/g, '0190c8a2-0000-7000-8000-000000000000');
      const answer = await kit.request(route.method, path, {
        key: null,
        body: ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined,
      });
      expect({
        route: `${route.method} ${route.path}`,
        status: answer.status,
        type: answer.contentType,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        type: expect.stringContaining('application/problem+json'),
      });
    }
  });

  it('describes every /v1 operation at /docs-json and every /admin/v1 operation at /admin/docs-json', async () => {
    const documented = async (path: string) => {
      const answer = await kit.request('GET', path, { key: null });
      expect(answer.status).toBe(200);
      return new Set(
        Object.entries(answer.body.paths as Record<string, Record<string, unknown>>).flatMap(
          ([documentedPath, operations]) =>
            Object.keys(operations).map(
              (method) => `${method.toUpperCase()} ${documentedPath.replace(/\{(\w+)\}/g, ':$1')}`,
            ),
        ),
      );
    };
    const [tenant, admin] = [await documented('/docs-json'), await documented('/admin/docs-json')];
    const undocumented = (prefix: string, document: Set<string>) =>
      routes
        .filter((route) => route.path.startsWith(prefix))
        .map((route) => `${route.method} ${route.path}`)
        .filter((route) => !document.has(route));
    expect(undocumented('/v1/', tenant)).toEqual([]);
    expect(undocumented('/admin/v1/', admin)).toEqual([]);
    expect((await kit.request('GET', '/docs', { key: null })).contentType).toContain('text/html');
    expect((await kit.request('GET', '/admin/docs', { key: null })).contentType).toContain('text/html');
  });
});
