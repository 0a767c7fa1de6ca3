import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type Caller } from '@gw/audit';
import { AdminApi, AdminCaller } from '@gw/auth';
import {
  ApiProblems,
  ApiZodBody,
  ApiZodParams,
  ApiZodQuery,
  ApiZodResponse,
  pageSchemaOf,
  ZodValidationPipe,
} from '@gw/http';
import { asTenantId, tenantIdSchema, TenantsService } from '@gw/tenants';
import {
  listWebhookDeliveriesQuerySchema,
  listWebhookEndpointsQuerySchema,
  replayWebhookDeliveriesSchema,
  webhookDeliveryResponseSchema,
  webhookDeliveryView,
  WebhookEndpointsService,
  webhookEndpointResponseSchema,
  webhookEndpointView,
  type WebhookTenant,
} from '@gw/webhooks';
import { ApiGatewayProblems } from '../openapi-responses';

const uuid = z.uuid('must be a UUID').max(36);
const tenantId = new ZodValidationPipe(tenantIdSchema, 'param');
const itemId = new ZodValidationPipe(uuid, 'param');

/**
 * A tenant's webhooks for support: its endpoints and their delivery log, and the retry and replay a
 * tenant can do itself, each audited under the operator's admin key.
 */
@ApiTags('admin: webhooks')
@AdminApi()
@ApiProblems(401, 404, 422)
@ApiZodParams(tenantIdSchema, 'id')
@Controller('admin/v1/tenants/:id')
export class AdminTenantWebhooksController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly webhooks: WebhookEndpointsService,
  ) {}

  @Get('webhook-endpoints')
  @ApiOperation({ summary: 'A tenant’s webhook endpoints, oldest first (never their secrets)' })
  @ApiZodQuery(listWebhookEndpointsQuerySchema)
  @ApiZodResponse(200, pageSchemaOf(webhookEndpointResponseSchema))
  @ApiProblems(400)
  @ApiGatewayProblems('tenants.not_found')
  async endpoints(
    @Param('id', tenantId) id: string,
    @Query(new ZodValidationPipe(listWebhookEndpointsQuerySchema, 'query'))
    query: z.output<typeof listWebhookEndpointsQuerySchema>,
  ) {
    const tenant = await this.tenants.get(asTenantId(id));
    const page = await this.webhooks.list(tenant.id, query.cursor, query.limit);
    return { data: page.data.map((endpoint) => webhookEndpointView(endpoint)), next: page.next };
  }

  @Get('webhook-endpoints/:endpointId/deliveries')
  @ApiOperation({ summary: 'An endpoint’s delivery log, newest first; `?status=` filters' })
  @ApiZodParams(z.object({ endpointId: uuid }))
  @ApiZodQuery(listWebhookDeliveriesQuerySchema)
  @ApiZodResponse(200, pageSchemaOf(webhookDeliveryResponseSchema))
  @ApiProblems(400)
  @ApiGatewayProblems('tenants.not_found', 'webhooks.endpoint_not_found')
  async deliveries(
    @Param('id', tenantId) id: string,
    @Param('endpointId', itemId) endpointId: string,
    @Query(new ZodValidationPipe(listWebhookDeliveriesQuerySchema, 'query'))
    query: z.output<typeof listWebhookDeliveriesQuerySchema>,
  ) {
    const tenant = await this.tenants.get(asTenantId(id));
    const page = await this.webhooks.listDeliveries(tenant.id, endpointId, {
      status: query.status,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { data: page.data.map(webhookDeliveryView), next: page.next };
  }

  @Post('webhook-deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver one delivery again (same webhook-id), with a fresh retry schedule' })
  @ApiZodParams(z.object({ deliveryId: uuid }))
  @ApiZodResponse(202, webhookDeliveryResponseSchema)
  @ApiProblems(409, 503)
  @ApiGatewayProblems(
    'tenants.not_found',
    'webhooks.delivery_not_found',
    'webhooks.endpoint_not_found',
    'webhooks.endpoint_disabled',
    'webhooks.delivery_in_progress',
    'webhooks.not_queued',
  )
  async retry(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
    @Param('deliveryId', itemId) deliveryId: string,
  ) {
    const delivery = await this.webhooks.retryDelivery(await this.actingFor(caller, id), deliveryId);
    return webhookDeliveryView(delivery);
  }

  @Post('webhook-endpoints/:endpointId/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Deliver again every failed or dead delivery to the endpoint created since `since`',
  })
  @ApiZodParams(z.object({ endpointId: uuid }))
  @ApiZodBody(replayWebhookDeliveriesSchema)
  @ApiZodResponse(202, z.object({ requeued: z.number().int() }))
  @ApiProblems(409, 503)
  @ApiGatewayProblems(
    'tenants.not_found',
    'webhooks.endpoint_not_found',
    'webhooks.endpoint_disabled',
    'webhooks.not_queued',
  )
  async replay(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
    @Param('endpointId', itemId) endpointId: string,
    @Body(new ZodValidationPipe(replayWebhookDeliveriesSchema))
    input: z.output<typeof replayWebhookDeliveriesSchema>,
  ): Promise<{ requeued: number }> {
    return this.webhooks.replay(await this.actingFor(caller, id), endpointId, input.since);
  }

  /** The operator acting on the tenant's webhooks: the tenant's id and org number, the admin key as actor. */
  private async actingFor(caller: Caller, id: string): Promise<WebhookTenant> {
    const tenant = await this.tenants.get(asTenantId(id));
    return { ...caller, tenantId: tenant.id, orgNumber: tenant.orgNumber };
  }
}
