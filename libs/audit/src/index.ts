export { AuditModule } from './audit.module';
export { AuditService, type AuditQuery } from './audit.service';
export {
  type AuditAction,
  type AuditDetails,
  type AuditEntry,
  type AuditRecord,
  type Caller,
} from './audit.entity';
export { auditLogQuerySchema, auditRecordResponseSchema, type AuditLogQuery } from './audit.schemas';
