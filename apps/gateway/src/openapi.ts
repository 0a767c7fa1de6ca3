import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { type FastifyInstance } from 'fastify';
import { ADMIN_KEY_SCHEME, TENANT_KEY_SCHEME } from '@gw/auth';
import { type GatewayConfig } from '@gw/config';
import { operationsOf, withProblemResponses } from '@gw/http';
import { GATEWAY_RESPONSE_RULES } from './openapi-responses';

const UI_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
} as const;

/** The two APIs, each described by its own document. */
export type ApiName = 'tenant' | 'admin';

/** The base URL clients reach each API at (`servers` of its document). */
export type ApiServers = Record<ApiName, string>;

type ServerSettings = Pick<GatewayConfig, 'PUBLIC_BASE_URL' | 'MANAGEMENT_BASE_URL'>;

/**
 * Where each API is reached: the configured base URLs, else `/`, the origin that serves the document, so
 * Swagger UI's "Try it out" calls the listener it was loaded from whatever host name it was reached by.
 */
export function apiServersOf(config: ServerSettings): ApiServers {
  const withoutSlash = (url: string) => url.replace(/\/+$/, '') || '/';
  return {
    tenant: withoutSlash(config.PUBLIC_BASE_URL ?? '/'),
    admin: withoutSlash(config.MANAGEMENT_BASE_URL ?? '/'),
  };
}

/** One API's document and its Swagger UI, on the listener that serves the API. */
interface ApiDocs {
  /** Swagger UI's page; the document is at `<path>-json`, the UI's files under `<path>/`. */
  path: string;
  title: string;
  description: string;
  scheme: string;
  /** The paths of the full document that belong to this API. */
  includes: (path: string) => boolean;
}

const PROBLEMS = 'Every 4xx/5xx answer is RFC 9457 `application/problem+json`.';
const isProbe = (path: string) => path.startsWith('/health/');

/** The tenant API's docs on the public listener, the admin API's on the management listener. */
const APIS: Record<ApiName, ApiDocs> = {
  tenant: {
    path: '/docs',
    title: 'samtykke-gateway tenant API',
    description: `The tenant API (\`/v1\`, a tenant API key) of the Altinn 3 consent supplier gateway. ${PROBLEMS}`,
    scheme: TENANT_KEY_SCHEME,
    includes: (path) => path === '/v1' || path.startsWith('/v1/') || isProbe(path),
  },
  admin: {
    path: '/admin/docs',
    title: 'samtykke-gateway admin API',
    description:
      'The admin API (`/admin/v1`, an admin key) of the Altinn 3 consent supplier gateway, served on the ' +
      `management listener with bull-board (\`/admin/queues\`) and \`/metrics\`. ${PROBLEMS}`,
    scheme: ADMIN_KEY_SCHEME,
    includes: (path) => path.startsWith('/admin/') || isProbe(path),
  },
};

// No inline script: the page's Content-Security-Policy allows scripts from this origin only.
const uiHtml = (docs: ApiDocs) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${docs.title}</title>
<link rel="stylesheet" href="${docs.path}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${docs.path}/swagger-ui-bundle.js"></script>
<script src="${docs.path}/swagger-ui-standalone-preset.js"></script>
<script src="${docs.path}/swagger-initializer.js"></script>
</body></html>`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const uiInitializer = (docs: ApiDocs) => `window.ui = SwaggerUIBundle({ url: '${docs.path}-json',
  dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
`;

/**
 * The tenant and admin documents of an app whose routes are registered (a listening app, or one created
 * with `preview: true` for generating the committed documents without Postgres or Redis).
 */
export function openApiDocuments(app: INestApplication, servers: ApiServers): Record<ApiName, OpenAPIObject> {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('samtykke-gateway')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // The keys are opaque strings, not JWTs: addBearerAuth would default bearerFormat to JWT.
    .addSecurity(TENANT_KEY_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'A tenant API key, `sgw_<env>_…`, as an operator issued it (opaque).',
    })
    .addSecurity(ADMIN_KEY_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'One of the gateway’s ADMIN_API_KEY (opaque).',
    })
    .build();
  const full = withProbes(
    withProblemResponses(SwaggerModule.createDocument(app, config), GATEWAY_RESPONSE_RULES),
  );
  return {
    tenant: apiDocument(full, APIS.tenant, servers.tenant),
    admin: apiDocument(full, APIS.admin, servers.admin),
  };
}

/**
 * OpenAPI 3.1, one document per API (request schemas come from the zod validators): the tenant API at
 * `/docs` and `/docs-json`, the admin API at `/admin/docs` and `/admin/docs-json`, each with Swagger UI,
 * whose assets are served from `swagger-ui-dist` directly rather than through @fastify/static, whose
 * ESM-only dependencies Jest cannot load. Which listener serves which is decided in listeners.ts.
 */
export function setUpOpenApi(app: INestApplication, servers: ApiServers): void {
  // Built on first use: Nest has registered every route by then.
  let documents: Record<ApiName, OpenAPIObject> | undefined;
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  const assetsDir = dirname(require.resolve('swagger-ui-dist/swagger-ui.css'));
  const assets = new Map<string, Buffer>();
  for (const [name, docs] of Object.entries(APIS) as [ApiName, ApiDocs][]) {
    fastify.get(`${docs.path}-json`, () => (documents ??= openApiDocuments(app, servers))[name]);
    serveUi(fastify, docs, (file) => {
      let body = assets.get(file);
      if (!body) assets.set(file, (body = readFileSync(join(assetsDir, file))));
      return body;
    });
  }
}

function serveUi(fastify: FastifyInstance, docs: ApiDocs, asset: (file: string) => Buffer): void {
  const html = uiHtml(docs);
  const initializer = uiInitializer(docs);
  fastify.get(docs.path, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  fastify.get(`${docs.path}/swagger-initializer.js`, (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(initializer),
  );
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`${docs.path}/${file}`, (_request, reply) => reply.type(type).send(asset(file)));
  }
}

const READINESS = {
  type: 'object',
  required: ['ready', 'checks'],
  properties: {
    ready: { type: 'boolean' },
    checks: { type: 'object', description: 'postgres, migrations, redis: each `ok` and what failed' },
    details: { type: 'object', description: 'what libs add for the operator; never decides `ready`' },
  },
};

/** The probes (shared by every process, without Swagger decorators): what they answer. */
const PROBES: Record<string, { summary: string; answers: Record<number, Record<string, unknown>> }> = {
  '/health/live': {
    summary: 'Liveness: the process answers (no dependency is asked)',
    answers: { 200: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
  },
  '/health/ready': {
    summary: 'Readiness: Postgres, the migrations and Redis; 503 while one is not ready',
    answers: { 200: READINESS, 503: READINESS },
  },
};

/** The probes: a summary, a tag, their answers, and no key. */
function withProbes(document: OpenAPIObject): OpenAPIObject {
  for (const { path, operation } of operationsOf(document)) {
    const probe = PROBES[path];
    if (probe === undefined) continue;
    operation.summary ??= probe.summary;
    operation.tags = ['probes'];
    operation.security = [];
    const responses = operation.responses as Record<string, ResponseObject>;
    for (const [status, schema] of Object.entries(probe.answers)) {
      responses[status] = {
        description: responses[status]?.description || (status === '200' ? 'OK' : 'Not ready'),
        headers: responses[status]?.headers ?? responses['200']?.headers,
        content: { 'application/json': { schema } },
      };
    }
  }
  return document;
}

/**
 * The part of the full document that is one API: its paths, its security scheme, the tags and the
 * component schemas those paths use (transitively), so the tenant document names nothing of the admin API.
 */
function apiDocument(full: OpenAPIObject, docs: ApiDocs, server: string): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(full.paths).filter(([path]) => docs.includes(path)));
  const components = { schemas: full.components?.schemas ?? {}, headers: full.components?.headers ?? {} };
  const used = { schemas: new Set<string>(), headers: new Set<string>() };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const ref =
          key === '$ref' && typeof child === 'string'
            ? /^#\/components\/(schemas|headers)\/(.+)$/.exec(child)
            : null;
        const kind = ref?.[1] as keyof typeof used | undefined;
        if (ref && kind && !used[kind].has(ref[2])) {
          used[kind].add(ref[2]);
          visit(components[kind][ref[2]]);
        } else {
          visit(child);
        }
      }
    }
  };
  visit(paths);
  const usedOf = <T>(kind: keyof typeof used, all: Record<string, T>) =>
    Object.fromEntries(Object.entries(all).filter(([name]) => used[kind].has(name)));
  const tags = new Set(
    Object.values(paths).flatMap((item) =>
      Object.values(item as Record<string, { tags?: string[] }>).flatMap((operation) => operation.tags ?? []),
    ),
  );
  const scheme = full.components?.securitySchemes?.[docs.scheme];
  return {
    ...full,
    info: { ...full.info, title: docs.title, description: docs.description },
    servers: [
      { url: server, description: server === '/' ? 'the gateway serving this document' : docs.title },
    ],
    paths,
    tags: full.tags?.filter((tag) => tags.has(tag.name)),
    components: {
      ...full.components,
      schemas: usedOf('schemas', components.schemas),
      headers: usedOf('headers', components.headers),
      securitySchemes: scheme === undefined ? {} : { [docs.scheme]: scheme },
    },
  };
}
