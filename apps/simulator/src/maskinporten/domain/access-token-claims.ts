import {
  type ConsentAuthorizationDetail,
  iso6523,
  type MaskinportenAccessTokenClaims,
} from '../../core/access-token';
import { type SimConsent } from '../../core/consent-store';
import { formatDateTimeOffset } from '../../core/date-time-offset';
import { parsePartyUrn } from '../../core/identifiers';

/**
 * docs/upstream-contract.md §1: consent tokens live 120 s (`exp − iat`). Plain tokens get the same short life
 * in the simulator, so the gateway's token cache expires and refreshes within a test run.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 120;

/**
 * docs/upstream-contract.md §1: where Maskinporten looked the delegation up (the test environment's Altinn).
 */
export const DELEGATION_SOURCE = 'https://tt02.altinn.no/';

export interface AccessTokenInput {
  issuer: string;
  clientId: string;
  /** The org owning the client. */
  clientOrg: string;
  scopes: readonly string[];
  consumerOrg?: string;
  resource?: readonly string[];
  consent?: SimConsent;
  iat: number;
  jti: string;
}

/**
 * docs/upstream-contract.md §1 "Token response": `consumer` always (the client owner without `consumer_org`);
 * with delegation also `supplier` and `delegation_source`; `aud` only with `resource`; with consent the
 * consent's `authorization_details`.
 */
export function buildAccessTokenClaims(input: AccessTokenInput): MaskinportenAccessTokenClaims {
  const claims: MaskinportenAccessTokenClaims = {
    iss: input.issuer,
    client_id: input.clientId,
    client_amr: 'private_key_jwt',
    scope: input.scopes.join(' '),
    token_type: 'Bearer',
    iat: input.iat,
    exp: input.iat + ACCESS_TOKEN_LIFETIME_SECONDS,
    jti: input.jti,
    consumer: iso6523(input.consumerOrg ?? input.clientOrg),
  };
  if (input.consumerOrg !== undefined) {
    claims.supplier = iso6523(input.clientOrg);
    claims.delegation_source = DELEGATION_SOURCE;
  }
  if (input.resource !== undefined) {
    claims.aud = input.resource.length === 1 ? input.resource[0] : [...input.resource];
  }
  if (input.consent !== undefined) claims.authorization_details = [consentDetail(input.consent)];
  return claims;
}

function consentDetail(consent: SimConsent): ConsentAuthorizationDetail {
  // A consent's `to` is always an organization URN (docs/upstream-contract.md §2 create rules).
  const to = parsePartyUrn(consent.to)?.identifier ?? consent.to;
  return {
    type: 'urn:altinn:consent',
    id: consent.id,
    from: consent.from,
    to: iso6523(to),
    // Maskinporten passes on Altinn's values: .NET DateTimeOffsets, `+00:00` and the fraction without
    // trailing zeros (`2025-07-18T07:57:30.409251+00:00`; microseconds from Altinn's database).
    consented: formatDateTimeOffset(consent.consented ?? consent.validTo),
    validTo: formatDateTimeOffset(consent.validTo),
    consentRights: consent.consentRights.map((right) => ({
      action: [...right.action],
      resource: right.resource.map(({ type, value }) => ({ type, value })),
      metadata: right.metadata === null ? null : { ...right.metadata },
    })),
  };
}
