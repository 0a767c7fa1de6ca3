import { DomainError } from '@gw/http';

/** Stable codes of the auth lib; the gateway's problem table maps each to an HTTP status. */
export type AuthErrorCode =
  /** No `Authorization: Bearer` header (401). */
  | 'auth.missing_credentials'
  /** A key that is malformed, unknown, revoked, of another environment or of an offboarded tenant (401). */
  | 'auth.invalid_credentials'
  /** A valid key of a suspended tenant (403). */
  | 'auth.tenant_suspended'
  /** No ADMIN_API_KEY is configured, so the admin API refuses everyone (401). */
  | 'auth.admin_disabled'
  | 'auth.api_key_not_found'
  /** Keys cannot be issued for a suspended or offboarded tenant (409). */
  | 'auth.tenant_not_active';

export class AuthError extends DomainError<AuthErrorCode> {
  override readonly name = 'AuthError';
}
