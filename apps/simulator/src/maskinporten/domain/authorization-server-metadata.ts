import { GRANT_ALGORITHMS } from './grant-header';
import { CONSENT_DETAIL_TYPE, SYSTEM_USER_DETAIL_TYPE } from './authorization-details';
import { JWT_BEARER_GRANT_TYPE } from './token-form';

/** docs/upstream-contract.md §1: the RFC 8414 metadata at `/.well-known/oauth-authorization-server`. */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}token`,
    jwks_uri: `${issuer}jwk`,
    grant_types_supported: [JWT_BEARER_GRANT_TYPE],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...GRANT_ALGORITHMS],
    authorization_details_types_supported: [SYSTEM_USER_DETAIL_TYPE, CONSENT_DETAIL_TYPE],
  };
}
