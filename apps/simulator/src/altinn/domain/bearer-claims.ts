import { orgNumberOf } from '../../core/access-token';
import { isValidOrgNumber, ORG_URN_PREFIX } from '../../core/identifiers';

export const CONSENT_SCOPES = {
  write: 'altinn:consentrequests.write',
  read: 'altinn:consentrequests.read',
  org: 'altinn:consentrequests.org',
} as const;

export type ConsentOperation = 'create' | 'read';

/** The raw token of an `Authorization: Bearer <token>` header (scheme case-insensitive, as ASP.NET reads it). */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** The space-separated scopes of a token's `scope` claim. */
export function scopesOf(scopeClaim: unknown): string[] {
  return typeof scopeClaim === 'string' ? scopeClaim.split(' ').filter((scope) => scope !== '') : [];
}

/**
 * docs/upstream-contract.md#authentication: create needs `.write` or `.org`; GET and the feed `.read`,
 * `.write` or `.org` (the CONSENTREQUEST_WRITE / _READ policies in AccessManagementHost.cs,
 * altinn-authorization-tmp).
 */
export function hasScopeFor(operation: ConsentOperation, scopeClaim: unknown): boolean {
  const accepted: string[] =
    operation === 'create'
      ? [CONSENT_SCOPES.org, CONSENT_SCOPES.write]
      : [CONSENT_SCOPES.org, CONSENT_SCOPES.read, CONSENT_SCOPES.write];
  return scopesOf(scopeClaim).some((scope) => accepted.includes(scope));
}

export interface Caller {
  /** The org number of the token's `consumer`: who Altinn acts for. */
  consumerOrg: string;
  /** `urn:altinn:organization:identifier-no:<consumerOrg>` */
  consumerUrn: string;
  /** The token's `supplier` as an org URN: it becomes the consent's `handledBy`. */
  supplierUrn: string | null;
}

function orgOf(party: unknown): string | undefined {
  const org = orgNumberOf(party);
  return org !== undefined && isValidOrgNumber(org) ? org : undefined;
}

/**
 * docs/upstream-contract.md §2: the caller is the token's `consumer` (authority `iso6523-actorid-upis`, else
 * 401); a `supplier` that is not such a party is ignored, as Altinn's OrgUtil does.
 */
export function callerOf(claims: { readonly [claim: string]: unknown }): Caller | undefined {
  const consumerOrg = orgOf(claims.consumer);
  if (consumerOrg === undefined) return undefined;
  const supplierOrg = orgOf(claims.supplier);
  return {
    consumerOrg,
    consumerUrn: ORG_URN_PREFIX + consumerOrg,
    supplierUrn: supplierOrg === undefined ? null : ORG_URN_PREFIX + supplierOrg,
  };
}
