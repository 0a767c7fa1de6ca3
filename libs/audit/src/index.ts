export { AuditModule } from './audit.module';
export { AUDIT_EXPORT_BATCH, AuditService, type AuditQuery } from './audit.service';
export {
  type AuditAction,
  type AuditDetails,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  type Caller,
} from './audit.entity';
export { AuditLogRow, AUDIT_ENTITIES } from './audit-log-row.entity';
export { auditUrl } from './domain/audit-url';
export {
  auditLogExportQuerySchema,
  auditLogQuerySchema,
  auditRecordResponseSchema,
  type AuditLogExportQuery,
  type AuditLogQuery,
} from './audit.schemas';
