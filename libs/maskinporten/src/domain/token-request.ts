import { isValidOrgNumber } from '@gw/identifiers';

/** docs/upstream-contract.md §1: the one RAR entry Maskinporten takes for a consent token. */
export interface ConsentAuthorizationDetail {
  type: 'urn:altinn:consent';
  /** The consent request's UUID. */
  id: string;
  /** The person or organisation who consented, as a URN. */
  from: string;
}

/** What a caller asks a token for. */
export interface TokenRequest {
  scopes: readonly string[];
  /**
   * The tenant the provider acts for; in the worker always read from the tenant registry
   * (docs/architecture.md "Tenant isolation").
   */
  consumerOrg?: string;
  /** Audience restriction. */
  resource?: string | readonly string[];
  /** At most one consent per token (docs/upstream-contract.md §1), hence a one-element tuple. */
  authorizationDetails?: readonly [ConsentAuthorizationDetail];
}

/** A request in canonical form: what the grant carries and what the cache key covers. */
export interface NormalizedTokenRequest {
  /** Unique and sorted. */
  scopes: string[];
  consumerOrg?: string;
  /** Unique and sorted. */
  resource?: string[];
  authorizationDetails?: [ConsentAuthorizationDetail];
}

export type TokenRequestRefusal =
  | 'no_scope'
  | 'invalid_scope'
  | 'invalid_consumer_org'
  | 'consumer_is_provider'
  | 'invalid_resource'
  | 'invalid_authorization_details';

export type NormalizedTokenRequestResult =
  { ok: true; request: NormalizedTokenRequest } | { ok: false; reason: TokenRequestRefusal; detail: string };

const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/; // RFC 6749 §3.3 scope-token
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARTY_URN = /^urn:altinn:(person:identifier-no:\d{11}|organization:identifier-no:\d{9})$/;
const CONSENT_DETAIL_KEYS = ['from', 'id', 'type'];

/**
 * Checks a token request and puts it in canonical form. `providerOrg` is the org owning the client:
 * docs/upstream-contract.md §1 makes the client's own org in `consumer_org` an error, so we never send it.
 */
export function normalizeTokenRequest(
  request: TokenRequest,
  providerOrg: string,
): NormalizedTokenRequestResult {
  const scopes = [...new Set(request.scopes)].sort();
  if (scopes.length === 0) return { ok: false, reason: 'no_scope', detail: 'at least one scope is required' };
  const badScope = scopes.find((scope) => !SCOPE.test(scope));
  if (badScope !== undefined) {
    return { ok: false, reason: 'invalid_scope', detail: `not a scope token: ${JSON.stringify(badScope)}` };
  }

  const normalized: NormalizedTokenRequest = { scopes };

  if (request.consumerOrg !== undefined) {
    if (!isValidOrgNumber(request.consumerOrg)) {
      return {
        ok: false,
        reason: 'invalid_consumer_org',
        detail: 'consumer_org must be a 9-digit organisation number with a valid MOD11 control digit',
      };
    }
    if (request.consumerOrg === providerOrg) {
      return {
        ok: false,
        reason: 'consumer_is_provider',
        detail: 'consumer_org must not be the org owning the client (docs/upstream-contract.md §1)',
      };
    }
    normalized.consumerOrg = request.consumerOrg;
  }

  if (request.resource !== undefined) {
    const resources = typeof request.resource === 'string' ? [request.resource] : [...request.resource];
    if (
      resources.length === 0 ||
      resources.some((resource) => resource.trim() === '' || resource !== resource.trim())
    ) {
      return {
        ok: false,
        reason: 'invalid_resource',
        detail: 'resource must be one or more non-blank values',
      };
    }
    normalized.resource = [...new Set(resources)].sort();
  }

  if (request.authorizationDetails !== undefined) {
    const details: readonly unknown[] = request.authorizationDetails;
    if (details.length !== 1) {
      return {
        ok: false,
        reason: 'invalid_authorization_details',
        detail: 'exactly one consent per token (docs/upstream-contract.md §1)',
      };
    }
    const detail = details[0];
    const refusal = consentDetailRefusal(detail);
    if (refusal !== undefined) return { ok: false, reason: 'invalid_authorization_details', detail: refusal };
    const { id, from } = detail as ConsentAuthorizationDetail;
    normalized.authorizationDetails = [{ type: 'urn:altinn:consent', id, from }];
  }

  return { ok: true, request: normalized };
}

function consentDetailRefusal(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return 'the consent detail must be an object';
  const keys = Object.keys(detail).sort();
  // docs/upstream-contract.md §1: no other fields (MP-302 unknown field).
  if (keys.join(',') !== CONSENT_DETAIL_KEYS.join(','))
    return 'the consent detail has exactly type, id and from';
  const { type, id, from } = detail as Record<string, unknown>;
  if (type !== 'urn:altinn:consent') return 'type must be urn:altinn:consent (MP-301)';
  if (typeof id !== 'string' || !UUID.test(id)) return 'id must be the consent request UUID (MP-303)';
  if (typeof from !== 'string' || !PARTY_URN.test(from)) {
    return 'from must be a urn:altinn:person:identifier-no or urn:altinn:organization:identifier-no URN (MP-303)';
  }
  return undefined;
}
