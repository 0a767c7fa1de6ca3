// The seeds' actors and example payloads (docs/api-guide.md "Seeds"), shared by the
// e2e tests, the benches and the fault tests.

export const PROVIDER_ORG = '310149942';
export const TENANT_A = '313876144';
export const TENANT_B = '974760673';
export const PERSON = '03867199348';
export const OTHER_PERSON = '01025161013';
export const WRITE = 'altinn:consentrequests.write';
export const READ = 'altinn:consentrequests.read';

/** Seed 000's create body, for a person and the tenant, valid for `days`; `overrides` replace fields. */
export function createBody(overrides: Record<string, unknown> = {}, person = PERSON, days = 30) {
  return {
    from: `urn:altinn:person:identifier-no:${person}`,
    validTo: new Date(Date.now() + days * 86_400_000).toISOString(),
    consentRights: [
      {
        action: ['consent'],
        resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
        metadata: { INNTEKTSAAR: '2025' },
      },
    ],
    requestMessage: { nb: 'Vi ber om samtykke til å hente inntektsopplysninger.' },
    redirectUrl: 'https://bank.example/consent/return?ref=42',
    ...overrides,
  };
}

/** The claims of a JWT, unverified: tests read what a token says, the simulator proves who signed it. */
export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, any>;
}
