export { WebhooksModule, WebhooksWorkerModule } from './webhooks.module';
export {
  DEVELOPMENT_WEBHOOK_SECRET_KEY,
  webhooksOptionsFrom,
  type WebhooksConfig,
  type WebhooksOptions,
} from './webhooks.options';
export { WebhookEndpointsService, type WebhookTenant } from './webhook-endpoints.service';
export { WebhookDeliveryService, type DeliveryStep } from './webhook-delivery.service';
export { WebhookRelayService } from './webhook-relay.service';
export { WebhooksError, type WebhooksErrorCode } from './webhooks.errors';
export {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type DisabledReason,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from './webhook-endpoint.entity';
export { WebhookDeliveryRow, WebhookEndpointRow, WEBHOOKS_ENTITIES } from './webhook-row.entity';
export { TEST_EVENT_TYPE, type WebhookPayload } from './domain/webhook-payload';
export { RETRY_SCHEDULE_MS, DISABLE_AFTER_MS } from './domain/delivery-schedule';
export { forbiddenAddressClass, type AddressClass } from './domain/address-policy';
export {
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
  webhookEndpointIdSchema,
  listWebhookEndpointsQuerySchema,
  listWebhookDeliveriesQuerySchema,
  replayWebhookDeliveriesSchema,
  webhookEndpointResponseSchema,
  webhookEndpointWithSecretResponseSchema,
  webhookDeliveryResponseSchema,
  webhookEndpointView,
  webhookDeliveryView,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
} from './webhooks.schemas';
