import { type TokenRequest } from '@gw/maskinporten';
import { type ConsentRequest } from '../consent-request';

/** The scope a consent request is created with at Altinn. */
export const CONSENT_WRITE_SCOPE = 'altinn:consentrequests.write';
/** The scope Altinn's consent requests and event feed are read with, and a consent token's default. */
export const CONSENT_READ_SCOPE = 'altinn:consentrequests.read';

/**
 * The token request of a consent token: the only place `authorization_details` is built. The gateway looks
 * the token up in the shared cache by it, the worker fetches it by it: both sides must build the same one.
 */
export function consentTokenRequest(
  consent: Pick<ConsentRequest, 'id' | 'from'>,
  tenantOrg: string,
  scope: string,
): TokenRequest {
  return {
    scopes: [scope],
    consumerOrg: tenantOrg,
    authorizationDetails: [{ type: 'urn:altinn:consent', id: consent.id, from: consent.from }],
  };
}
