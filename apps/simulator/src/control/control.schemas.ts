import { z } from 'zod';

const orgNumber = z.string().regex(/^\d{9}$/, 'must be 9 digits');
const scopes = z.array(z.string().min(1)).min(1);

export const clientSchema = z.object({
  clientId: z.string().min(1),
  orgNumber,
  scopes: z.array(z.string().min(1)),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
  kmsKeyId: z.string().min(1).optional(),
});

export const delegationSchema = z.object({ consumerOrg: orgNumber, supplierOrg: orgNumber, scopes });
export const delegationRevocationSchema = z.object({
  consumerOrg: orgNumber,
  supplierOrg: orgNumber,
  scopes: z.array(z.string().min(1)).optional(),
});

export const resourceSchema = z.object({
  id: z.string().min(1),
  metadataKeys: z.array(z.string().min(1)).default([]),
  template: z.string().min(1).default('default_v1'),
  oneTime: z.boolean().default(false),
});

export const unknownPartySchema = z.object({ identifier: z.string().regex(/^(\d{9}|\d{11})$/) });

export const personActionSchema = z.object({ performedBy: z.string().min(1).optional() }).default({});

export const clockSchema = z.object({ offsetSeconds: z.number().int() });

export const faultSchema = z.object({
  upstream: z.enum(['maskinporten', 'altinn', 'kms']),
  status: z.number().int().min(400).max(599).optional(),
  rate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  forSeconds: z.number().positive().optional(),
});
