import { z } from 'zod';
import { CONSENT_STATUSES, type ConsentRequest } from '@gw/consent';
import { organizationUrn } from '@gw/identifiers';

export const consentIdSchema = z.object({ id: z.uuid().max(36) });

export const listConsentRequestsQuerySchema = z
  .object({
    status: z.enum(CONSENT_STATUSES).optional(),
    updatedAfter: z.iso
      .datetime({ offset: true })
      .max(64)
      .transform((value) => new Date(value))
      .optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const listCursorSchema = z.object({ updatedAt: z.iso.datetime(), id: z.uuid() });

export const getConsentRequestQuerySchema = z
  .object({
    refresh: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
  })
  .strict();

export const tokenRequestSchema = z
  .object({
    // Bounded like a tenant's scopes: a refusal names the scope, so it must never be large.
    scope: z
      .string()
      .max(255)
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be one scope')
      .optional(),
  })
  .strict()
  .default({});

/** IETF Idempotency-Key draft: a quoted or bare string, at most 255 characters. */
export const idempotencyKeySchema = z
  .string()
  // 255 and the two quotes; checked before the trim so a huge header is never copied.
  .max(257, { error: 'must be at most 255 characters', abort: true })
  .transform((value) => value.trim().replace(/^"(.*)"$/, '$1'))
  .pipe(
    z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  );

export const idempotencyHeaderSchema = z.object({ 'Idempotency-Key': idempotencyKeySchema });

/** The create route's optional headers, as documented (each is read and checked on its own). */
export const createConsentHeadersSchema = z.object({
  'Idempotency-Key': idempotencyKeySchema
    .optional()
    .describe('the same key and body answer the first request again; another body with it is 422'),
  Prefer: z
    .string()
    .max(256)
    .optional()
    .describe(
      'RFC 7240 `wait=N` (N ≤ 30): wait up to N seconds for Altinn, answering 201 once it created the request',
    ),
});

/** RFC 7240 `Prefer: wait=N`, capped at 30 seconds so a request never outlives common proxy timeouts. */
export function preferredWaitSeconds(prefer: string | undefined): number | undefined {
  const match = /(?:^|[;,\s])wait\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!match) return undefined;
  return Math.min(30, Number(match[1]));
}

/** A consent request as the tenant API shows it. */
export function consentRequestView(consent: ConsentRequest) {
  return {
    id: consent.id,
    status: consent.status,
    from: consent.from,
    to: organizationUrn(consent.toOrg),
    validTo: consent.validTo.toISOString(),
    consentRights: consent.consentRights,
    requestMessage: consent.requestMessage,
    redirectUrl: consent.redirectUrl,
    requiredDelegator: consent.requiredDelegator,
    portalViewMode: consent.portalViewMode,
    viewUri: consent.viewUri,
    consentedAt: consent.consentedAt?.toISOString() ?? null,
    failure: consent.upstream,
    createdAt: consent.createdAt.toISOString(),
    updatedAt: consent.updatedAt.toISOString(),
  };
}
