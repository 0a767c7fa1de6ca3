import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type Caller } from '@gw/audit';
import {
  AdminApi,
  AdminCaller,
  type ApiKey,
  apiKeyIdSchema,
  apiKeyResponseSchema,
  ApiKeysService,
  issueApiKeySchema,
  type IssueApiKeyInput,
  issuedApiKeyResponseSchema,
  type IssuedApiKey,
} from '@gw/auth';
import { ApiProblems, ApiZodBody, ApiZodParams, ApiZodResponse, ZodValidationPipe } from '@gw/http';
import { asTenantId, tenantIdSchema } from '@gw/tenants';
import { ApiGatewayProblems } from '../openapi-responses';

const tenantId = new ZodValidationPipe(tenantIdSchema, 'param');
const keyId = new ZodValidationPipe(apiKeyIdSchema, 'param');

@ApiTags('admin: API keys')
@AdminApi()
@ApiProblems(401)
@ApiZodParams(tenantIdSchema, 'id')
@Controller('admin/v1/tenants/:id/api-keys')
export class AdminApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a tenant API key; the answer is the only time the key is shown' })
  @ApiZodBody(issueApiKeySchema)
  @ApiZodResponse(201, issuedApiKeyResponseSchema)
  @ApiProblems(404, 409, 422)
  @ApiGatewayProblems('tenants.not_found', 'auth.tenant_not_active')
  issue(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
    @Body(new ZodValidationPipe(issueApiKeySchema.optional().transform((input) => input ?? { name: '' })))
    input: IssueApiKeyInput,
  ): Promise<IssuedApiKey> {
    return this.keys.issue(caller, asTenantId(id), input);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s keys, live and revoked (prefixes only)' })
  @ApiZodResponse(200, z.object({ data: z.array(apiKeyResponseSchema) }))
  @ApiProblems(404, 422)
  @ApiGatewayProblems('tenants.not_found')
  async list(@Param('id', tenantId) id: string): Promise<{ data: ApiKey[] }> {
    return { data: await this.keys.list(asTenantId(id)) };
  }

  @Delete(':keyId')
  @ApiOperation({ summary: 'Revoke one key; the tenant’s other keys keep working (rotation)' })
  @ApiZodResponse(200, apiKeyResponseSchema)
  @ApiZodParams(apiKeyIdSchema, 'keyId')
  @ApiProblems(404, 422)
  @ApiGatewayProblems('auth.api_key_not_found')
  revoke(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
    @Param('keyId', keyId) key: string,
  ): Promise<ApiKey> {
    return this.keys.revoke(caller, asTenantId(id), key);
  }
}
