import {
  type ConsentAuthorizationDetail,
  normalizeTokenRequest,
  type TokenRequest,
  type TokenRequestRefusal,
} from './token-request';

/** docs/upstream-contract.md §1: `exp − iat ≤ 120`. */
export const MAX_GRANT_LIFETIME_SECONDS = 120;
export const DEFAULT_GRANT_LIFETIME_SECONDS = 60;

export interface GrantContext {
  /** The Maskinporten issuer, trailing slash included; it is the grant's `aud`. */
  issuer: string;
  clientId: string;
  /** The org owning the client, never a `consumer_org`. */
  providerOrg: string;
  /** `exp − iat`; default 60, at most 120. */
  lifetimeSeconds?: number;
}

/** Every claim a grant may carry; docs/upstream-contract.md §1 refuses any other ("Invalid assertion"). */
export interface GrantClaims {
  aud: string;
  iss: string;
  iat: number;
  exp: number;
  jti: string;
  scope: string;
  consumer_org?: string;
  resource?: string[];
  authorization_details?: [ConsentAuthorizationDetail];
}

export type GrantResult =
  | { ok: true; claims: GrantClaims }
  | { ok: false; reason: TokenRequestRefusal | 'invalid_lifetime'; detail: string };

/**
 * The claims of a JWT-bearer grant (docs/upstream-contract.md §1). Pure: the caller passes the clock and a
 * fresh random `jti` (a reused one is refused with MP-012), so each attempt gets its own.
 */
export function buildGrantClaims(
  request: TokenRequest,
  context: GrantContext,
  now: Date,
  jti: string,
): GrantResult {
  const lifetime = context.lifetimeSeconds ?? DEFAULT_GRANT_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_GRANT_LIFETIME_SECONDS) {
    return { ok: false, reason: 'invalid_lifetime', detail: `exp − iat must be 1..120 s, not ${lifetime}` };
  }
  const normalized = normalizeTokenRequest(request, context.providerOrg);
  if (!normalized.ok) return normalized;
  const { scopes, consumerOrg, resource, authorizationDetails } = normalized.request;
  const iat = Math.floor(now.getTime() / 1000);
  return {
    ok: true,
    claims: {
      aud: context.issuer,
      iss: context.clientId,
      iat,
      exp: iat + lifetime,
      jti,
      scope: scopes.join(' '),
      ...(consumerOrg === undefined ? {} : { consumer_org: consumerOrg }),
      ...(resource === undefined ? {} : { resource }),
      ...(authorizationDetails === undefined ? {} : { authorization_details: authorizationDetails }),
    },
  };
}
