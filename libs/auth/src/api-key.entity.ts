import { type TenantId } from '@gw/tenants';

/** A tenant API key as listed: never the key or its hash. */
export interface ApiKey {
  id: string;
  tenantId: TenantId;
  /** The public start of the key (`sgw_live_AbCd1234`), to recognise it. */
  prefix: string;
  name: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to issuing a key: the only time the whole key is shown. */
export interface IssuedApiKey extends ApiKey {
  key: string;
}

/** Who a valid tenant key belongs to; set on the request by the tenant guard. */
export interface TenantPrincipal {
  tenantId: TenantId;
  orgNumber: string;
  keyId: string;
  keyPrefix: string;
}
