import createClient, { type Client } from 'openapi-fetch';
import { type components as AdminComponents, type paths as AdminPaths } from './admin-api';
import { type components as TenantComponents, type paths as TenantPaths } from './tenant-api';

export type { AdminComponents, AdminPaths, TenantComponents, TenantPaths };

/** The tenant API's schemas by name (`TenantSchemas['…']`). */
export type TenantSchemas = TenantComponents['schemas'];
/** The admin API's schemas by name. */
export type AdminSchemas = AdminComponents['schemas'];

/** One entry of the event feed (`GET /v1/events`). */
export type FeedEvent =
  TenantPaths['/v1/events']['get']['responses'][200]['content']['application/json']['data'][number];

/**
 * The body of a webhook (verify it with `standardwebhooks` first): the event's type, id and time and the
 * same `data` as the event's entry in the feed; `webhook.test` is what `…/test` sends.
 */
export type WebhookEvent = Pick<FeedEvent, 'id' | 'occurredAt' | 'data'> & {
  type: FeedEvent['type'] | 'webhook.test';
};

/** The fetch the client sends requests through (default the global one). */
export type ClientFetch = (request: Request) => Promise<Response>;

export interface TenantClientOptions {
  /** Where the gateway's tenant API is reached, without `/v1` (e.g. `https://consent.example.no`). */
  baseUrl: string;
  /** The tenant API key (`sgw_<env>_…`) an operator issued. */
  apiKey: string;
  fetch?: ClientFetch;
}

export interface AdminClientOptions {
  /** Where the gateway's management listener is reached (e.g. `http://127.0.0.1:3002`). */
  baseUrl: string;
  /** One of the gateway's ADMIN_API_KEY. */
  adminKey: string;
  fetch?: ClientFetch;
}

/** A typed client of the tenant API (`/v1`). */
export type TenantClient = Client<TenantPaths>;
/** A typed client of the admin API (`/admin/v1`). */
export type AdminClient = Client<AdminPaths>;

/**
 * A client of the tenant API: every path, parameter, body and answer typed from the gateway's OpenAPI
 * document; each request carries the API key as a bearer token.
 */
export function createTenantClient({ baseUrl, apiKey, fetch }: TenantClientOptions): TenantClient {
  return createClient<TenantPaths>({ baseUrl, fetch, headers: { authorization: `Bearer ${apiKey}` } });
}

/** A client of the admin API, typed from its OpenAPI document; each request carries the admin key. */
export function createAdminClient({ baseUrl, adminKey, fetch }: AdminClientOptions): AdminClient {
  return createClient<AdminPaths>({ baseUrl, fetch, headers: { authorization: `Bearer ${adminKey}` } });
}
