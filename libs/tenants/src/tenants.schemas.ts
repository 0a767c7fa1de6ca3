import { z } from 'zod';
import { isValidOrgNumber } from '@gw/identifiers';
import { DELEGATION_STATES } from './tenant.entity';

/** A Maskinporten scope: `<prefix>:<name>`, e.g. `altinn:consentrequests.write`. */
export const scopeSchema = z
  .string()
  .max(200)
  .regex(
    /^[a-z0-9_-]+:[A-Za-z0-9._/-]+$/,
    'must be a Maskinporten scope such as altinn:consentrequests.write',
  );

export const orgNumberSchema = z
  .string()
  .max(9, { error: 'must be 9 digits', abort: true })
  .regex(/^\d{9}$/, 'must be 9 digits')
  .refine(isValidOrgNumber, 'fails the MOD11 check of a Norwegian organisation number');

const scopesSchema = z
  .array(scopeSchema)
  .max(50)
  .transform((scopes) => [...new Set(scopes)].sort());

export const createTenantSchema = z.strictObject({
  orgNumber: orgNumberSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  scopes: scopesSchema.default([]),
});
export type CreateTenantInput = z.output<typeof createTenantSchema>;

export const updateTenantSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    /** Replaces the whole set; added scopes are checked again. */
    scopes: scopesSchema.optional(),
    status: z.enum(['active', 'suspended']).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one of name, scopes, status');
export type UpdateTenantInput = z.output<typeof updateTenantSchema>;

export const tenantIdSchema = z.uuid('must be a tenant id (UUID)').max(36);

const tenantStatusSchema = z.enum(['active', 'suspended', 'offboarded']);
const delegationStateSchema = z
  .enum(DELEGATION_STATES)
  .describe(
    'failing: a scope was refused at its last check; pending: none refused, some not checked yet; ' +
      'verified: every scope got a token; none: no scopes',
  );

export const listTenantsQuerySchema = z.strictObject({
  orgNumber: orgNumberSchema.optional().describe('exactly this organisation number (9 digits)'),
  q: z.string().trim().min(1).max(200).optional().describe('part of the name, in any case'),
  status: tenantStatusSchema.optional(),
  delegation: delegationStateSchema.optional(),
  cursor: z.string().min(1).max(512).optional().describe("the previous page's next"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListTenantsQuery = z.output<typeof listTenantsQuerySchema>;

/** A tenant as the admin API answers it (documentation). */
export const tenantResponseSchema = z.object({
  id: z.uuid(),
  orgNumber: z.string(),
  name: z.string(),
  status: tenantStatusSchema,
  scopes: z.array(
    z.object({
      scope: z.string(),
      verifiedAt: z.string().nullable().describe('when the last delegation check got a token for it'),
      lastError: z
        .object({ code: z.string().describe('e.g. MP-251'), message: z.string(), checkedAt: z.string() })
        .nullable(),
    }),
  ),
  delegation: delegationStateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const delegationCheckResponseSchema = z.object({ tenantId: z.uuid(), jobId: z.string() });
