import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_KEY_SCHEME, TENANT_KEY_SCHEME } from '@gw/auth';

const UI_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
} as const;

// No inline script: the page's Content-Security-Policy allows scripts from this origin only.
const UI_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>samtykke-gateway API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/swagger-initializer.js"></script>
</body></html>`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const UI_INITIALIZER = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', deepLinking: true,
  validatorUrl: null, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
`;

/**
 * OpenAPI 3.1 for both APIs: the document at `/docs-json` (request schemas come from the zod
 * validators) and Swagger UI at `/docs`, its assets served from `swagger-ui-dist` directly rather than
 * through @fastify/static, whose ESM-only dependencies Jest cannot load.
 */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('samtykke-gateway')
    .setDescription(
      'Tenant API (`/v1`, tenant API key) and admin API (`/admin/v1`, admin key) of the Altinn 3 consent ' +
        'supplier gateway. Every 4xx/5xx answer is RFC 9457 `application/problem+json`.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: '`sgw_<env>_…` tenant API key' },
      TENANT_KEY_SCHEME,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'one of ADMIN_API_KEY' }, ADMIN_KEY_SCHEME)
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'docs-json',
  });

  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  const assetsDir = dirname(require.resolve('swagger-ui-dist/swagger-ui.css'));
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_HTML));
  fastify.get('/docs/swagger-initializer.js', (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(UI_INITIALIZER),
  );
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    let body: Buffer | undefined;
    fastify.get(`/docs/${file}`, (_request, reply) => {
      body ??= readFileSync(join(assetsDir, file));
      return reply.type(type).send(body);
    });
  }
}
