import { type NormalizedTokenRequest } from './token-request';

/**
 * Everything that makes two tokens different, in one canonical string. A claim missing here would let
 * one tenant's token be served to another (several libraries leaked that way), so every grant input is
 * in it: client, issuer, scopes (sorted), consumer_org, resource and authorization_details.
 */
export function tokenCacheKeyMaterial(
  clientId: string,
  issuer: string,
  request: NormalizedTokenRequest,
): string {
  const details = request.authorizationDetails?.map(({ type, id, from }) => ({ type, id, from })) ?? null;
  return JSON.stringify([
    'maskinporten-token/v1',
    clientId,
    issuer,
    [...request.scopes].sort(),
    request.consumerOrg ?? null,
    request.resource ? [...request.resource].sort() : null,
    details,
  ]);
}
