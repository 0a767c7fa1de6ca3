import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, TenantApi, type TenantPrincipal, tenantPrincipalResponseSchema } from '@gw/auth';
import { ApiZodResponse } from '@gw/http';
import { TenantsService } from '@gw/tenants';

@ApiTags('tenant')
@TenantApi()
@Controller('v1/tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: 'Who am I: the tenant the API key belongs to' })
  @ApiZodResponse(200, tenantPrincipalResponseSchema)
  async whoAmI(@CurrentTenant() principal: TenantPrincipal) {
    const tenant = await this.tenants.get(principal.tenantId);
    return {
      tenantId: tenant.id,
      orgNumber: tenant.orgNumber,
      name: tenant.name,
      status: tenant.status,
      keyPrefix: principal.keyPrefix,
    };
  }
}
