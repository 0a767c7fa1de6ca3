import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminApi } from '@gw/auth';
import { CONSENT_STATUSES, type ConsentRequest, ConsentRequestsService } from '@gw/consent';
import {
  ApiProblems,
  ApiZodParams,
  ApiZodQuery,
  ApiZodResponse,
  decodeCursor,
  pageSchemaOf,
  ZodValidationPipe,
} from '@gw/http';
import { maskedPartyUrn, organizationUrn } from '@gw/identifiers';
import { asTenantId, tenantIdSchema, TenantsService } from '@gw/tenants';
import { listConsentRequestsQuerySchema, listCursorSchema } from '../consent/consent-requests.schemas';
import { ApiGatewayProblems } from '../openapi-responses';

/** A consent request as operators see it: the fødselsnummer of a person party masked. */
const adminConsentRequestResponseSchema = z.object({
  id: z.uuid(),
  status: z.enum(CONSENT_STATUSES),
  from: z.string().describe('the party asked; a person’s fødselsnummer masked, e.g. …:038671•••••'),
  to: z.string(),
  validTo: z.string(),
  requiredDelegator: z.string().nullable().describe('masked like `from`'),
  viewUri: z.string().nullable(),
  consentedAt: z.string().nullable(),
  failure: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('Altinn’s (or Maskinporten’s) problem when the request failed'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function adminConsentRequestView(
  consent: ConsentRequest,
): z.output<typeof adminConsentRequestResponseSchema> {
  return {
    id: consent.id,
    status: consent.status,
    from: maskedPartyUrn(consent.from),
    to: organizationUrn(consent.toOrg),
    validTo: consent.validTo.toISOString(),
    requiredDelegator: consent.requiredDelegator === null ? null : maskedPartyUrn(consent.requiredDelegator),
    viewUri: consent.viewUri,
    consentedAt: consent.consentedAt?.toISOString() ?? null,
    failure: consent.upstream,
    createdAt: consent.createdAt.toISOString(),
    updatedAt: consent.updatedAt.toISOString(),
  };
}

const tenantId = new ZodValidationPipe(tenantIdSchema, 'param');

@ApiTags('admin: tenants')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/tenants/:id/consent-requests')
export class AdminTenantConsentRequestsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly consents: ConsentRequestsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'A tenant’s consent requests, oldest change first, with fødselsnummer masked (support)',
  })
  @ApiZodParams(tenantIdSchema, 'id')
  @ApiZodQuery(listConsentRequestsQuerySchema)
  @ApiZodResponse(200, pageSchemaOf(adminConsentRequestResponseSchema))
  @ApiProblems(400, 404, 422)
  @ApiGatewayProblems('tenants.not_found')
  async list(
    @Param('id', tenantId) id: string,
    @Query(new ZodValidationPipe(listConsentRequestsQuerySchema, 'query'))
    query: z.output<typeof listConsentRequestsQuerySchema>,
  ) {
    const tenant = await this.tenants.get(asTenantId(id));
    const page = await this.consents.list(tenant.id, {
      status: query.status,
      updatedAfter: query.updatedAfter,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, listCursorSchema),
      limit: query.limit,
    });
    return { data: page.data.map(adminConsentRequestView), next: page.next };
  }
}
