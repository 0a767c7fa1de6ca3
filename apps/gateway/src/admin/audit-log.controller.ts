import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type AuditLogExportQuery,
  auditLogExportQuerySchema,
  type AuditLogQuery,
  auditLogQuerySchema,
  type AuditRecord,
  auditRecordResponseSchema,
  AuditService,
} from '@gw/audit';
import { AdminApi } from '@gw/auth';
import {
  ApiProblems,
  ApiZodQuery,
  ApiZodResponse,
  jsonSchemaOf,
  type Page,
  pageSchemaOf,
  ZodValidationPipe,
} from '@gw/http';

const NDJSON = 'application/x-ndjson';

@ApiTags('admin: audit log')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/audit-log')
export class AdminAuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log, newest first, narrowed by tenant, actor, action (or prefix), target and time',
  })
  @ApiZodQuery(auditLogQuerySchema)
  @ApiZodResponse(200, pageSchemaOf(auditRecordResponseSchema))
  @ApiProblems(400, 422)
  list(
    @Query(new ZodValidationPipe(auditLogQuerySchema, 'query')) query: AuditLogQuery,
  ): Promise<Page<AuditRecord>> {
    return this.audit.list(query);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Every record the filters select, oldest first, as NDJSON (one record per line)',
    description:
      'Same filters as the listing, no paging and no row cap: the answer streams in batches of 500 ' +
      'rows, so its size is bounded by the filters, not by memory. It ends at the newest record when ' +
      'the export started. Narrow long exports with `from` and `to`.',
  })
  @ApiZodQuery(auditLogExportQuerySchema)
  @ApiProduces(NDJSON)
  @ApiResponse({
    status: 200,
    description: 'one audit record (JSON) per line',
    content: { [NDJSON]: { schema: jsonSchemaOf(auditRecordResponseSchema, 'output') } },
  })
  @ApiProblems(422)
  async export(
    @Query(new ZodValidationPipe(auditLogExportQuerySchema, 'query')) query: AuditLogExportQuery,
  ): Promise<StreamableFile> {
    const batches = await this.audit.exportBatches(query);
    return new StreamableFile(Readable.from(ndjsonOf(batches)), {
      type: NDJSON,
      disposition: 'attachment; filename="audit-log.ndjson"',
    });
  }
}

async function* ndjsonOf(batches: AsyncIterable<AuditRecord[]>): AsyncGenerator<string> {
  for await (const batch of batches) {
    yield batch.map((record) => `${JSON.stringify(record)}\n`).join('');
  }
}
