import { isValidOrgNumber } from '../../core/identifiers';
import { checkAuthorizationDetails, type ConsentGrantDetail } from './authorization-details';
import { invalidAssertion, refuse, type Verdict } from './token-error';

/**
 * docs/upstream-contract.md §1: the only claims a grant may carry; any other is refused ("Invalid
 * assertion").
 */
export const GRANT_CLAIMS = [
  'aud',
  'iss',
  'iat',
  'exp',
  'jti',
  'scope',
  'consumer_org',
  'resource',
  'authorization_details',
] as const;

/** docs/upstream-contract.md §1: `iat` within ±10 s of Maskinporten's clock. */
export const MAX_CLOCK_SKEW_SECONDS = 10;
/** docs/upstream-contract.md §1: `exp − iat ≤ 120`. */
export const MAX_GRANT_LIFETIME_SECONDS = 120;

/** What a verified grant asks for. */
export interface GrantRequest {
  clientId: string;
  /** Absent when the grant has none (Digdir: recommended, not required). */
  jti: string | undefined;
  exp: number;
  /** Unique, in the order asked. */
  scopes: string[];
  consumerOrg?: string;
  resource?: string[];
  consent?: ConsentGrantDetail;
}

export interface GrantClaimContext {
  /** The issuer, trailing slash included: the only `aud` accepted. */
  issuer: string;
  nowSeconds: number;
  /** The org owning the client: never a valid `consumer_org`. */
  clientOrg: string;
}

// RFC 6749 §3.3 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** docs/upstream-contract.md §1 "Claims": checks a grant's claims once its signature has been verified. */
export function checkGrantClaims(
  claims: Record<string, unknown>,
  context: GrantClaimContext,
): Verdict<GrantRequest> {
  // docs/upstream-contract.md §1: `consumer_org` and `iss_onbehalfof` are mutually exclusive; named before
  // the general refusal of unknown claims so the reason says what is wrong.
  if (claims.consumer_org !== undefined && claims.iss_onbehalfof !== undefined) {
    return invalidAssertion('MP-011', 'consumer_org and iss_onbehalfof cannot be used together');
  }
  const unknown = Object.keys(claims).filter((claim) => !(GRANT_CLAIMS as readonly string[]).includes(claim));
  if (unknown.length > 0) return invalidAssertion('MP-011', `Claim(s) not allowed: ${unknown.join(', ')}`);

  // docs/upstream-contract.md §1: `aud` is the issuer, one value; the token URL is not accepted.
  if (typeof claims.aud !== 'string' || claims.aud !== context.issuer) {
    return invalidAssertion('MP-110', 'Client authentication failed. Invalid JWT claim aud');
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') return invalidAssertion('MP-011', 'Missing iss');

  const { iat, exp } = claims;
  if (!isNumericDate(iat) || !isNumericDate(exp)) {
    return invalidAssertion('MP-011', 'iat and exp are required NumericDate claims');
  }
  if (exp <= context.nowSeconds) return invalidAssertion('MP-130', 'The JWT has expired');
  if (Math.abs(iat - context.nowSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    return invalidAssertion(
      'MP-130',
      `iat is more than ${MAX_CLOCK_SKEW_SECONDS} s from Maskinporten's clock`,
    );
  }
  if (exp - iat > MAX_GRANT_LIFETIME_SECONDS || exp <= iat) {
    return invalidAssertion('MP-130', `exp − iat must be between 1 and ${MAX_GRANT_LIFETIME_SECONDS} s`);
  }

  // Digdir recommends `jti` but does not require it; without one there is nothing to replay-check.
  if (claims.jti !== undefined && (typeof claims.jti !== 'string' || claims.jti === '')) {
    return invalidAssertion('MP-011', 'jti must be a non-empty string');
  }

  const scopes =
    typeof claims.scope === 'string' ? claims.scope.split(' ').filter((scope) => scope !== '') : [];
  if (scopes.length === 0) return refuse('invalid_scope', 'MP-201', 'Missing scope');
  const badScope = scopes.find((scope) => !SCOPE_TOKEN.test(scope));
  if (badScope !== undefined)
    return refuse('invalid_scope', 'MP-201', `Malformed scope ${JSON.stringify(badScope)}`);

  const request: GrantRequest = {
    clientId: claims.iss,
    jti: typeof claims.jti === 'string' ? claims.jti : undefined,
    exp,
    scopes: [...new Set(scopes)],
  };

  if (claims.consumer_org !== undefined) {
    if (typeof claims.consumer_org !== 'string' || !isValidOrgNumber(claims.consumer_org)) {
      return invalidAssertion(
        'MP-011',
        'consumer_org must be a 9-digit organization number with a valid check digit',
      );
    }
    // docs/upstream-contract.md §1: the client's own org in consumer_org is an error.
    if (claims.consumer_org === context.clientOrg) {
      return invalidAssertion('MP-011', 'consumer_org cannot be the organization that owns the client');
    }
    request.consumerOrg = claims.consumer_org;
  }

  if (claims.resource !== undefined) {
    // docs/upstream-contract.md §1: `resource` is an array (the stricter reading: a bare string is refused).
    const resource = claims.resource;
    if (
      !Array.isArray(resource) ||
      resource.length === 0 ||
      resource.some((r) => typeof r !== 'string' || r === '')
    ) {
      return invalidAssertion('MP-011', 'resource must be a non-empty array of non-empty strings');
    }
    request.resource = [...new Set(resource as string[])];
  }

  if (claims.authorization_details !== undefined) {
    const consent = checkAuthorizationDetails(claims.authorization_details);
    if (!consent.ok) return consent;
    request.consent = consent.value;
  }
  return { ok: true, value: request };
}
