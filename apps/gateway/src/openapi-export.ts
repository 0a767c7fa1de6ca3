import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type OpenAPIObject } from '@nestjs/swagger';
import { gatewayConfigSchema, loadConfig } from '@gw/config';
import { GatewayModule } from './gateway.module';
import { type ApiName, apiServersOf, openApiDocuments } from './openapi';

/**
 * The documents the gateway serves at `/docs-json` and `/admin/docs-json`, built without listeners: Nest's
 * preview mode reads the routes and their decorators and creates no provider, so no Postgres, Redis or KMS
 * is needed. `servers` are the local defaults unless the environment names PUBLIC_BASE_URL and
 * MANAGEMENT_BASE_URL.
 */
export async function exportOpenApiDocuments(
  environment: Record<string, string | undefined> = {},
): Promise<Record<ApiName, OpenAPIObject>> {
  const config = loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent', ...environment });
  const app = await NestFactory.create(GatewayModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  try {
    return openApiDocuments(app, apiServersOf(config));
  } finally {
    await app.close();
  }
}
