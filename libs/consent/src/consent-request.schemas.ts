import { z } from 'zod';
import { type consentRequestBodySchema } from './domain/consent-input';
import { CONSENT_STATUSES } from './domain/consent-status';

/**
 * An example create body from the simulator's seeds (a seeded person, resource and its metadata key), so
 * Swagger UI's "Try it out" creates a consent request against a local `npm start` as it is.
 */
export const CONSENT_REQUEST_EXAMPLE: z.input<typeof consentRequestBodySchema> = {
  from: 'urn:altinn:person:identifier-no:03867199348',
  validTo: '2030-12-31T23:00:00Z',
  consentRights: [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2025' },
    },
  ],
  requestMessage: { nb: 'Vi ber om samtykke til å hente inntektsopplysninger.' },
  redirectUrl: 'https://bank.example/consent/return?ref=42',
};

const dateTime = z.iso.datetime();

/** A consent request as the tenant API shows it (`consentRequestView`). */
export const consentRequestResponseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(CONSENT_STATUSES),
    from: z.string().describe('the person or organisation asked, as a party URN'),
    to: z.string().describe('the tenant, as an organisation URN'),
    validTo: dateTime,
    consentRights: z.array(
      z.object({
        action: z.array(z.string()),
        resource: z.array(z.object({ type: z.string(), value: z.string() })),
        metadata: z.record(z.string(), z.string()).nullable().optional(),
      }),
    ),
    requestMessage: z.record(z.string(), z.string()).nullable(),
    redirectUrl: z.string(),
    requiredDelegator: z.string().nullable(),
    portalViewMode: z.enum(['Hide', 'Show']).nullable(),
    viewUri: z
      .string()
      .nullable()
      .describe('where the person answers at Altinn, once Altinn created the request'),
    consentedAt: dateTime.nullable(),
    failure: z.record(z.string(), z.unknown()).nullable().describe("status failed: Altinn's problem details"),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({
    examples: [
      {
        id: '0b5f3c2e-8d1a-4f7e-9c3b-2a6d4e8f1a7c',
        status: 'created',
        ...CONSENT_REQUEST_EXAMPLE,
        to: 'urn:altinn:organization:identifier-no:313876144',
        requiredDelegator: null,
        portalViewMode: null,
        viewUri:
          'https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=0b5f3c2e-8d1a-4f7e-9c3b-2a6d4e8f1a7c',
        consentedAt: null,
        failure: null,
        createdAt: '2026-01-15T09:30:00.000Z',
        updatedAt: '2026-01-15T09:30:01.000Z',
      },
    ],
  });

/** A consent token (RFC 6749 §5.1): Maskinporten's, for the consent's `authorization_details`. */
export const consentTokenResponseSchema = z.object({
  access_token: z.string().describe('a Maskinporten JWT; give it to the API the consent is for'),
  token_type: z.string(),
  expires_in: z.number().int().describe('seconds'),
  scope: z.string(),
});
