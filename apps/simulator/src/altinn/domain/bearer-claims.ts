import { orgNumberOf } from '../../core/access-token';
import { isValidOrgNumber, ORG_URN_PREFIX } from '../../core/identifiers';

export const CONSENT_SCOPES = {
  write: 'altinn:consentrequests.write',
  read: 'altinn:consentrequests.read',
} as const;

export type ConsentOperation = 'create' | 'read';

/** The raw token of an `Authorization: Bearer <token>` header (scheme case-insensitive, as ASP.NET reads it). */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * upstream-contract §2: create needs `altinn:consentrequests.write`; GET and the feed accept `.read` or
 * `.write`. `altinn:consentrequests.org` (the resource-owner variant the real policies also accept) is not
 * for a supplier, so the simulator refuses it: the stricter reading.
 */
export function hasScopeFor(operation: ConsentOperation, scopeClaim: unknown): boolean {
  if (typeof scopeClaim !== 'string') return false;
  const scopes = scopeClaim.split(' ').filter((scope) => scope !== '');
  const accepted: string[] =
    operation === 'create' ? [CONSENT_SCOPES.write] : [CONSENT_SCOPES.read, CONSENT_SCOPES.write];
  return scopes.some((scope) => accepted.includes(scope));
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
 * upstream-contract §2: the caller is the token's `consumer` (authority `iso6523-actorid-upis`, else 401);
 * a `supplier` that is not such a party is ignored, as Altinn's OrgUtil does.
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
