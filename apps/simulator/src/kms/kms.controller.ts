import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { KmsExceptionFilter } from './kms-exception.filter';
import { KmsRequestGuard } from './kms-request.guard';
import { KMS_CONTENT_TYPE, operationFromTarget } from './kms.protocol';
import { KmsService } from './kms.service';

/**
 * AWS KMS's JSON 1.1 endpoint: every operation is `POST /` named by `X-Amz-Target`
 * (docs/upstream-contract.md §3).
 */
@Controller()
@UseGuards(KmsRequestGuard)
@UseFilters(KmsExceptionFilter)
export class KmsController {
  constructor(private readonly kms: KmsService) {}

  @Post()
  @HttpCode(200)
  handle(
    @Headers('x-amz-target') target: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Buffer {
    void reply.header('content-type', KMS_CONTENT_TYPE).header('x-amzn-requestid', randomUUID());
    // A Buffer, so that Fastify leaves the media type as AWS sends it (no `; charset=utf-8`).
    return Buffer.from(JSON.stringify(this.kms.execute(operationFromTarget(target), body)));
  }
}
