import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller } from '@gw/audit';
import { AdminApi, AdminCaller } from '@gw/auth';
import {
  ApiProblems,
  ApiZodBody,
  ApiZodParams,
  ApiZodQuery,
  ApiZodResponse,
  type Page,
  pageSchemaOf,
  ZodValidationPipe,
} from '@gw/http';
import {
  asTenantId,
  createTenantSchema,
  type CreateTenantInput,
  delegationCheckResponseSchema,
  listTenantsQuerySchema,
  type ListTenantsQuery,
  type Tenant,
  tenantIdSchema,
  tenantResponseSchema,
  TenantsService,
  updateTenantSchema,
  type UpdateTenantInput,
} from '@gw/tenants';

const tenantId = new ZodValidationPipe(tenantIdSchema, 'param');

@ApiTags('admin: tenants')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/tenants')
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({
    summary: 'Onboard a tenant and queue the check of its delegated scopes',
    description: 'An organisation number is registered once: a second onboarding of it is 409.',
  })
  @ApiZodBody(createTenantSchema)
  @ApiZodResponse(201, tenantResponseSchema)
  @ApiProblems(409, 422)
  create(
    @AdminCaller() caller: Caller,
    @Body(new ZodValidationPipe(createTenantSchema)) input: CreateTenantInput,
  ): Promise<Tenant> {
    return this.tenants.create(caller, input);
  }

  @Get()
  @ApiOperation({
    summary: 'Find tenants by org number, name, status or delegation state (cursor pages, oldest first)',
    description:
      'Every filter is optional and they combine (AND). `orgNumber` matches exactly and must be a valid ' +
      'organisation number; `q` matches part of the name in any case; `delegation` is the state the ' +
      "scopes' last delegation checks add up to. Pass the previous page's `next` as `cursor`, with the " +
      'same filters, for the following page.',
  })
  @ApiZodResponse(200, pageSchemaOf(tenantResponseSchema))
  @ApiZodQuery(listTenantsQuerySchema)
  @ApiProblems(400, 422)
  list(
    @Query(new ZodValidationPipe(listTenantsQuerySchema, 'query')) query: ListTenantsQuery,
  ): Promise<Page<Tenant>> {
    return this.tenants.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A tenant with the delegation state of each scope' })
  @ApiZodParams(tenantIdSchema, 'id')
  @ApiZodResponse(200, tenantResponseSchema)
  @ApiProblems(404, 422)
  get(@Param('id', tenantId) id: string): Promise<Tenant> {
    return this.tenants.get(asTenantId(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, replace the scopes (added ones are checked), suspend or resume' })
  @ApiZodBody(updateTenantSchema)
  @ApiZodParams(tenantIdSchema, 'id')
  @ApiZodResponse(200, tenantResponseSchema)
  @ApiProblems(404, 409, 422)
  update(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
    @Body(new ZodValidationPipe(updateTenantSchema)) patch: UpdateTenantInput,
  ): Promise<Tenant> {
    return this.tenants.update(caller, asTenantId(id), patch);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Offboard: final; revokes every key, keeps the data for audit' })
  @ApiZodParams(tenantIdSchema, 'id')
  @ApiZodResponse(200, tenantResponseSchema)
  @ApiProblems(404, 409, 422)
  offboard(@AdminCaller() caller: Caller, @Param('id', tenantId) id: string): Promise<Tenant> {
    return this.tenants.offboard(caller, asTenantId(id));
  }

  @Post(':id/delegation-check')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a delegation check: a Maskinporten token per scope for the tenant' })
  @ApiZodParams(tenantIdSchema, 'id')
  @ApiZodResponse(202, delegationCheckResponseSchema)
  @ApiProblems(404, 409, 422, 503)
  checkDelegation(
    @AdminCaller() caller: Caller,
    @Param('id', tenantId) id: string,
  ): Promise<{ tenantId: string; jobId: string }> {
    return this.tenants.requestDelegationCheck(caller, asTenantId(id));
  }
}
