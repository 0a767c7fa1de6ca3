import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentTenant, TenantApi, type TenantPrincipal } from '@gw/auth';
import { ApiZodBody, ApiZodParams, ApiZodQuery, ApiZodResponse, pageSchemaOf, parseRequest } from '@gw/http';
import {
  createWebhookEndpointSchema,
  listWebhookDeliveriesQuerySchema,
  listWebhookEndpointsQuerySchema,
  replayWebhookDeliveriesSchema,
  updateWebhookEndpointSchema,
  webhookDeliveryResponseSchema,
  webhookDeliveryView,
  WebhookEndpointsService,
  webhookEndpointIdSchema,
  webhookEndpointResponseSchema,
  webhookEndpointView,
  webhookEndpointWithSecretResponseSchema,
  type WebhookTenant,
} from '@gw/webhooks';
import { ApiGatewayProblems } from '../openapi-responses';

/** The tenant, and the key and request the audit log names. */
function callerOf(principal: TenantPrincipal, request: FastifyRequest): WebhookTenant {
  return {
    tenantId: principal.tenantId,
    orgNumber: principal.orgNumber,
    actor: principal.keyPrefix,
    requestId: request.id,
  };
}

/** Webhooks for the tenant's systems: each route one call into `WebhookEndpointsService`. */
@ApiTags('webhooks')
@TenantApi()
@Controller('v1')
export class WebhookEndpointsController {
  constructor(private readonly webhooks: WebhookEndpointsService) {}

  @Post('webhook-endpoints')
  @ApiOperation({ summary: 'Register an endpoint; the answer is the only time its whsec_ secret is shown' })
  @ApiZodBody(createWebhookEndpointSchema)
  @ApiZodResponse(201, webhookEndpointWithSecretResponseSchema)
  @ApiGatewayProblems('webhooks.url_not_allowed')
  async create(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ) {
    const input = parseRequest(createWebhookEndpointSchema, body);
    return webhookEndpointView(await this.webhooks.create(callerOf(principal, request), input));
  }

  @Get('webhook-endpoints')
  @ApiZodQuery(listWebhookEndpointsQuerySchema)
  @ApiOperation({ summary: "This tenant's endpoints, oldest first" })
  @ApiZodResponse(200, pageSchemaOf(webhookEndpointResponseSchema))
  async list(@CurrentTenant() principal: TenantPrincipal, @Query() rawQuery: unknown) {
    const query = parseRequest(listWebhookEndpointsQuerySchema, rawQuery, 'query');
    const page = await this.webhooks.list(principal.tenantId, query.cursor, query.limit);
    return { data: page.data.map((endpoint) => webhookEndpointView(endpoint)), next: page.next };
  }

  @Get('webhook-endpoints/:id')
  @ApiZodParams(webhookEndpointIdSchema)
  @ApiZodResponse(200, webhookEndpointResponseSchema)
  @ApiOperation({ summary: 'One endpoint (without its secret)' })
  @ApiGatewayProblems('webhooks.endpoint_not_found')
  async get(@CurrentTenant() principal: TenantPrincipal, @Param() params: unknown) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    return webhookEndpointView(await this.webhooks.get(principal.tenantId, id));
  }

  @Patch('webhook-endpoints/:id')
  @ApiZodParams(webhookEndpointIdSchema)
  @ApiOperation({ summary: 'Change url, eventTypes or enabled (enabling clears the failure streak)' })
  @ApiZodBody(updateWebhookEndpointSchema)
  @ApiZodResponse(200, webhookEndpointResponseSchema)
  @ApiGatewayProblems('webhooks.endpoint_not_found', 'webhooks.url_not_allowed')
  async update(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
    @Body() body: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    const patch = parseRequest(updateWebhookEndpointSchema, body);
    return webhookEndpointView(await this.webhooks.update(callerOf(principal, request), id, patch));
  }

  @Delete('webhook-endpoints/:id')
  @ApiZodParams(webhookEndpointIdSchema)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiGatewayProblems('webhooks.endpoint_not_found')
  async delete(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
  ): Promise<void> {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    await this.webhooks.delete(callerOf(principal, request), id);
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @ApiZodParams(webhookEndpointIdSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'New secret (shown once); the previous one keeps signing for 24 hours' })
  @ApiZodResponse(200, webhookEndpointWithSecretResponseSchema)
  @ApiGatewayProblems('webhooks.endpoint_not_found')
  async rotateSecret(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    return webhookEndpointView(await this.webhooks.rotateSecret(callerOf(principal, request), id));
  }

  @Post('webhook-endpoints/:id/test')
  @ApiZodParams(webhookEndpointIdSchema)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test event through the normal delivery path' })
  @ApiZodResponse(202, webhookDeliveryResponseSchema)
  @ApiGatewayProblems('webhooks.endpoint_not_found', 'webhooks.endpoint_disabled', 'webhooks.not_queued')
  async sendTest(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    return webhookDeliveryView(await this.webhooks.sendTest(callerOf(principal, request), id));
  }

  @Get('webhook-endpoints/:id/deliveries')
  @ApiZodParams(webhookEndpointIdSchema)
  @ApiZodQuery(listWebhookDeliveriesQuerySchema)
  @ApiOperation({ summary: "The endpoint's delivery log, newest first; `?status=` filters" })
  @ApiZodResponse(200, pageSchemaOf(webhookDeliveryResponseSchema))
  @ApiGatewayProblems('webhooks.endpoint_not_found')
  async deliveries(
    @CurrentTenant() principal: TenantPrincipal,
    @Param() params: unknown,
    @Query() rawQuery: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    const query = parseRequest(listWebhookDeliveriesQuerySchema, rawQuery, 'query');
    const page = await this.webhooks.listDeliveries(principal.tenantId, id, {
      status: query.status,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { data: page.data.map(webhookDeliveryView), next: page.next };
  }

  @Post('webhook-endpoints/:id/replay')
  @ApiZodParams(webhookEndpointIdSchema)
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver again every failed or dead delivery created since `since`' })
  @ApiZodBody(replayWebhookDeliveriesSchema)
  @ApiZodResponse(202, z.object({ requeued: z.number().int() }))
  @ApiGatewayProblems('webhooks.endpoint_not_found', 'webhooks.endpoint_disabled', 'webhooks.not_queued')
  async replay(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
    @Body() body: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    const { since } = parseRequest(replayWebhookDeliveriesSchema, body);
    return this.webhooks.replay(callerOf(principal, request), id, since);
  }

  @Post('webhook-deliveries/:id/retry')
  @ApiZodParams(webhookEndpointIdSchema)
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver one delivery again (same webhook-id), with a fresh retry schedule' })
  @ApiZodResponse(202, webhookDeliveryResponseSchema)
  @ApiGatewayProblems(
    'webhooks.delivery_not_found',
    'webhooks.endpoint_not_found',
    'webhooks.endpoint_disabled',
    'webhooks.delivery_in_progress',
    'webhooks.not_queued',
  )
  async retry(
    @CurrentTenant() principal: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Param() params: unknown,
  ) {
    const { id } = parseRequest(webhookEndpointIdSchema, params, 'param');
    return webhookDeliveryView(await this.webhooks.retryDelivery(callerOf(principal, request), id));
  }
}
