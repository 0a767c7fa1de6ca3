import { authorizationServerMetadata } from './authorization-server-metadata';

describe('authorization server metadata', () => {
  it.each(['https://test.maskinporten.no/', 'http://127.0.0.1:3100/'])(
    'describes the issuer %s',
    (issuer) => {
      expect(authorizationServerMetadata(issuer)).toEqual({
        issuer,
        token_endpoint: `${issuer}token`,
        jwks_uri: `${issuer}jwk`,
        grant_types_supported: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512'],
        authorization_details_types_supported: ['urn:altinn:systemuser', 'urn:altinn:consent'],
      });
    },
  );
});
