import { CONSENT_READ_SCOPE, consentTokenRequest } from './consent-token-request';

describe('consentTokenRequest', () => {
  it('asks for the scope as the tenant, with the consent in authorization_details', () => {
    const consent = {
      id: '0192f3a4-5b6c-7d8e-9f01-a12345678901',
      from: 'urn:altinn:organization:identifier-no:974760673',
    };
    expect(consentTokenRequest(consent, '313876144', CONSENT_READ_SCOPE)).toEqual({
      scopes: ['altinn:consentrequests.read'],
      consumerOrg: '313876144',
      authorizationDetails: [
        {
          type: 'urn:altinn:consent',
          id: consent.id,
          from: 'urn:altinn:organization:identifier-no:974760673',
        },
      ],
    });
  });
});
