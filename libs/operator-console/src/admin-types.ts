import { type AdminPaths } from '@samtykke-gateway/client';

/** The JSON a GET of the admin API answers with 200, from the generated contract. */
type Answer<Path extends keyof AdminPaths> = AdminPaths[Path] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;
/** One item of a listing's `data`. */
type Item<Path extends keyof AdminPaths> = Answer<Path> extends { data: (infer Value)[] } ? Value : never;

// What the pages show is what the admin API answers: the views take the contract's own types.
export type TenantView = Answer<'/admin/v1/tenants/{id}'>;
export type ApiKeyView = Item<'/admin/v1/tenants/{id}/api-keys'>;
export type ConsentView = Item<'/admin/v1/tenants/{id}/consent-requests'>;
export type EndpointView = Item<'/admin/v1/tenants/{id}/webhook-endpoints'>;
export type DeliveryView = Item<'/admin/v1/tenants/{id}/webhook-endpoints/{endpointId}/deliveries'>;
export type AuditRecordView = Item<'/admin/v1/audit-log'>;
export type QueueView = Item<'/admin/v1/system/queues'>;
export type UpstreamView = Item<'/admin/v1/system/upstreams'>;
export type TrafficView = Answer<'/admin/v1/system/traffic'>;
