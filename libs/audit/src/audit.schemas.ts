import { z } from 'zod';

export const auditLogQuerySchema = z.strictObject({
  tenantId: z.uuid('must be a tenant id (UUID)').optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

/** One audit record (documentation). */
export const auditRecordResponseSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actor: z.string().describe('admin:<key fingerprint>, or the process that acted'),
  tenantId: z.uuid().nullable(),
  action: z.string().describe('e.g. tenant.created, api_key.revoked'),
  target: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
