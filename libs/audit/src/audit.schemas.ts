import { z } from 'zod';
import { ACTION_FILTER } from './domain/audit-filter';

const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2025-06-01T00:00:00Z' })
  .max(64)
  .transform((value) => new Date(value));

/** The filters a listing and an export share. */
const auditFilterShape = {
  tenantId: z.uuid('must be a tenant id (UUID)').max(36).optional().describe('records of this tenant'),
  actor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('exactly this actor: admin:<key fingerprint>, a tenant key prefix (sgw_…), or a process'),
  action: z
    .string()
    .max(200)
    .regex(
      ACTION_FILTER,
      'must be an action (tenant.created) or a prefix ending in a dot (webhook_endpoint.)',
    )
    .optional()
    .describe(
      'an action (api_key.revoked), or every action under a prefix ending in a dot (webhook_endpoint.)',
    ),
  target: z.string().min(1).max(200).optional().describe('exactly this target, e.g. webhook_endpoint:<id>'),
  from: instant.optional().describe('occurredAt ≥ from (ISO 8601 with a zone)'),
  to: instant.optional().describe('occurredAt < to (ISO 8601 with a zone)'),
};

function fromBeforeTo(query: { from?: Date; to?: Date }, context: z.core.$RefinementCtx): void {
  if (query.from && query.to && query.from >= query.to) {
    context.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  }
}

export const auditLogQuerySchema = z
  .strictObject({
    ...auditFilterShape,
    cursor: z.string().min(1).max(512).optional().describe("the previous page's next"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine(fromBeforeTo);
export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

export const auditLogExportQuerySchema = z.strictObject(auditFilterShape).superRefine(fromBeforeTo);
export type AuditLogExportQuery = z.output<typeof auditLogExportQuerySchema>;

/** One audit record (documentation). */
export const auditRecordResponseSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actor: z
    .string()
    .describe('admin:<key fingerprint>, a tenant key prefix (sgw_…), or the process that acted'),
  tenantId: z.uuid().nullable(),
  action: z.string().describe('e.g. tenant.created, api_key.revoked, webhook_endpoint.deleted'),
  target: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
