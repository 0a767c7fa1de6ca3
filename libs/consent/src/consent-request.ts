import { type TenantId } from '@gw/tenants';
import { type ConsentStatus } from './domain/consent-status';

export interface ConsentRight {
  action: string[];
  resource: { type: string; value: string }[];
  metadata?: Record<string, string> | null;
}

/** A consent request as the gateway keeps it; `from` is personal data and never leaves through logs. */
export interface ConsentRequest {
  id: string;
  tenantId: TenantId;
  /** Person or organization URN, as sent to Altinn. */
  from: string;
  /** The tenant's org number: Altinn's `to`. */
  toOrg: string;
  validTo: Date;
  consentRights: ConsentRight[];
  requestMessage: Record<string, string> | null;
  redirectUrl: string;
  requiredDelegator: string | null;
  portalViewMode: 'Hide' | 'Show' | null;
  status: ConsentStatus;
  viewUri: string | null;
  consentedAt: Date | null;
  /** Altinn's problem details when it refused the request; nothing else of the upstream is kept. */
  upstream: Record<string, unknown> | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
