import { type AuthErrorCode } from '@gw/auth';
import { type ConsentErrorCode } from '@gw/consent';
import { type RateLimitErrorCode } from '@gw/rate-limit';
import { HTTP_PROBLEMS, type HttpErrorCode, type ProblemTable } from '@gw/http';
import { type JwksDirectoryErrorCode } from '@gw/signing';
import { type TenantsErrorCode } from '@gw/tenants';
import { type WebhooksErrorCode } from '@gw/webhooks';

/** Every code the gateway's libs may throw while serving a request. */
export type GatewayErrorCode =
  | HttpErrorCode
  | TenantsErrorCode
  | AuthErrorCode
  | JwksDirectoryErrorCode
  | ConsentErrorCode
  | RateLimitErrorCode
  | WebhooksErrorCode;

/** Code → status and title; a code without a row does not compile, so every error maps to one answer. */
export const GATEWAY_PROBLEMS: ProblemTable<GatewayErrorCode> = {
  ...HTTP_PROBLEMS,
  'tenants.not_found': { status: 404, title: 'Tenant not found' },
  'tenants.duplicate_org_number': { status: 409, title: 'Organisation already registered' },
  'tenants.invalid_org_number': { status: 422, title: 'Invalid organisation number' },
  'tenants.offboarded': { status: 409, title: 'Tenant offboarded' },
  'tenants.delegation_check_incomplete': { status: 503, title: 'Delegation check incomplete' },
  'tenants.delegation_check_not_queued': { status: 503, title: 'Delegation check not queued' },
  'auth.missing_credentials': { status: 401, title: 'Authentication required' },
  'auth.invalid_credentials': { status: 401, title: 'Invalid credentials' },
  'auth.tenant_suspended': { status: 403, title: 'Tenant suspended' },
  'auth.admin_disabled': { status: 401, title: 'Admin API disabled' },
  'auth.api_key_not_found': { status: 404, title: 'API key not found' },
  'auth.tenant_not_active': { status: 409, title: 'Tenant not active' },
  'signing.jwks_not_published': { status: 503, title: 'Signing keys not published' },
  'rate_limit.exceeded': { status: 429, title: 'Too many requests' },
  'consent.not_found': { status: 404, title: 'Consent request not found' },
  'consent.duplicate_id': { status: 409, title: 'Consent request id already used' },
  'consent.idempotency_key_mismatch': { status: 422, title: 'Idempotency-Key reused with another body' },
  'consent.idempotency_key_in_flight': {
    status: 409,
    title: 'Request with this Idempotency-Key in progress',
  },
  'consent.not_accepted': { status: 409, title: 'Consent not accepted' },
  'consent.revoked': { status: 409, title: 'Consent revoked' },
  'consent.expired': { status: 409, title: 'Consent expired' },
  'consent.scope_not_delegated': { status: 403, title: 'Scope not delegated by the tenant' },
  'consent.tenant_unavailable': { status: 409, title: 'Tenant not active' },
  'consent.upstream_refused': { status: 422, title: 'Upstream refused the request' },
  'consent.upstream_unavailable': { status: 503, title: 'Upstream unavailable' },
  'consent.not_queued': { status: 503, title: 'Request not queued' },
  'webhooks.endpoint_not_found': { status: 404, title: 'Webhook endpoint not found' },
  'webhooks.delivery_not_found': { status: 404, title: 'Webhook delivery not found' },
  'webhooks.url_not_allowed': { status: 422, title: 'Webhook URL not allowed' },
  'webhooks.endpoint_disabled': { status: 409, title: 'Webhook endpoint disabled' },
  'webhooks.delivery_in_progress': { status: 409, title: 'Webhook delivery already queued' },
  'webhooks.not_queued': { status: 503, title: 'Webhook delivery not queued' },
};
