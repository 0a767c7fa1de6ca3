import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuditLogQuery,
  auditLogQuerySchema,
  type AuditRecord,
  auditRecordResponseSchema,
  AuditService,
} from '@gw/audit';
import { AdminApi } from '@gw/auth';
import { ApiProblems, ApiZodResponse, type Page, pageSchemaOf, ZodValidationPipe } from '@gw/http';

@ApiTags('admin: audit log')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/audit-log')
export class AdminAuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first, optionally for one tenant' })
  @ApiZodResponse(200, pageSchemaOf(auditRecordResponseSchema))
  @ApiProblems(400, 422)
  list(
    @Query(new ZodValidationPipe(auditLogQuerySchema, 'query')) query: AuditLogQuery,
  ): Promise<Page<AuditRecord>> {
    return this.audit.list(query);
  }
}
