import { z } from 'zod';

export const issueApiKeySchema = z.strictObject({
  /** A label for the operator, e.g. which system of the tenant holds the key. */
  name: z.string().trim().max(100).default(''),
});
export type IssueApiKeyInput = z.output<typeof issueApiKeySchema>;

export const apiKeyIdSchema = z.uuid('must be an API key id (UUID)').max(36);

/** An API key as listed (documentation): never the key or its hash. */
export const apiKeyResponseSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  prefix: z.string().describe('public start of the key, e.g. sgw_live_AbCd1234'),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z
    .string()
    .nullable()
    .describe(
      'when the key last authenticated a request, to the minute: written at most once a minute per key; null: never used',
    ),
  revokedAt: z.string().nullable(),
});

export const issuedApiKeyResponseSchema = apiKeyResponseSchema.extend({
  key: z.string().describe('the whole key: shown only in this answer, store it now'),
});

export const tenantPrincipalResponseSchema = z.object({
  tenantId: z.uuid(),
  orgNumber: z.string(),
  name: z.string(),
  status: z.string(),
  keyPrefix: z.string(),
});
