import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';
import { CurrentTenant, TenantApi, type TenantPrincipal } from '@gw/auth';
import {
  CONSENT_REQUEST_EXAMPLE,
  ConsentRequestsService,
  consentRequestBodySchema,
  consentRequestResponseSchema,
  consentTokenResponseSchema,
  submissionRefusal,
  type ConsentCaller,
} from '@gw/consent';
import {
  ApiZodBody,
  ApiZodHeaders,
  ApiZodParams,
  ApiZodQuery,
  ApiZodResponse,
  decodeCursor,
  pageSchemaOf,
  parseRequest,
} from '@gw/http';
import { ApiGatewayProblems } from '../openapi-responses';
import {
  consentIdSchema,
  createConsentHeadersSchema,
  consentRequestView,
  getConsentRequestQuerySchema,
  idempotencyHeaderSchema,
  listConsentRequestsQuerySchema,
  listCursorSchema,
  preferredWaitSeconds,
  tokenRequestSchema,
} from './consent-requests.schemas';

const LOCATION = {
  description: 'the consent request: `/v1/consent-requests/{id}`',
  required: true,
  schema: { type: 'string' },
};
const PREFERENCE_APPLIED = {
  description: 'RFC 7240: the `wait=N` the answer honoured',
  schema: { type: 'string' },
};

function callerOf(principal: TenantPrincipal, requestId: string): ConsentCaller {
  return {
    tenantId: principal.tenantId,
    orgNumber: principal.orgNumber,
    actor: principal.keyPrefix,
    requestId,
  };
}

/** The tenant API for consent requests and their tokens: each route one call into `ConsentRequestsService`. */
@ApiTags('consent requests')
@TenantApi()
@Controller('v1')
export class ConsentRequestsController {
  constructor(private readonly consents: ConsentRequestsService) {}

  @Post('consent-requests')
  @ApiOperation({
    summary: 'Create a consent request at Altinn for this tenant',
    description:
      '202 + Location at once, or with `Prefer: wait=N` (N ≤ 30) 201 with `viewUri` once Altinn created it. ' +
      '`Idempotency-Key`: the same key and body answer the first request again.',
  })
  @ApiZodBody(consentRequestBodySchema, CONSENT_REQUEST_EXAMPLE)
  @ApiZodHeaders(createConsentHeadersSchema)
  @ApiZodResponse(202, consentRequestResponseSchema, {
    description:
      'Stored and queued for Altinn (status `pending`); follow it by `Location`, events or webhooks',
    headers: { Location: LOCATION },
  })
  @ApiZodResponse(201, consentRequestResponseSchema, {
    description: 'Altinn created it within `Prefer: wait` (status `created`, with `viewUri`), or a replay',
    headers: { Location: LOCATION, 'Preference-Applied': PREFERENCE_APPLIED },
  })
  @ApiGatewayProblems(
    'consent.idempotency_key_mismatch',
    'consent.idempotency_key_in_flight',
    'consent.duplicate_id',
    'consent.upstream_refused',
    'consent.not_queued',
  )
  async create(
    @CurrentTenant() principal: TenantPrincipal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const idempotencyKey =
      idempotencyKeyHeader === undefined
        ? undefined
        : parseRequest(idempotencyHeaderSchema, { 'Idempotency-Key': idempotencyKeyHeader }, 'param')[
            'Idempotency-Key'
          ];
    const caller = callerOf(principal, reply.request.id);
    const wait = preferredWaitSeconds(prefer);
    const { consent } =
      wait === undefined
        ? await this.consents.create(caller, body, idempotencyKey)
        : await this.consents.createAndWait(caller, body, idempotencyKey, wait);
    void reply.header('location', `/v1/consent-requests/${consent.id}`);
    if (wait !== undefined) {
      void reply.header('preference-applied', `wait=${wait}`);
      const refusal = submissionRefusal(consent);
      if (refusal) throw refusal;
    }
    void reply.status(consent.status === 'pending' ? 202 : 201);
    return consentRequestView(consent);
  }

  @Get('consent-requests')
  @ApiOperation({ summary: "List this tenant's consent requests, oldest change first" })
  @ApiZodQuery(listConsentRequestsQuerySchema)
  @ApiZodResponse(200, pageSchemaOf(consentRequestResponseSchema))
  async list(@CurrentTenant() principal: TenantPrincipal, @Query() rawQuery: unknown) {
    const query = parseRequest(listConsentRequestsQuerySchema, rawQuery, 'query');
    const page = await this.consents.list(principal.tenantId, {
      status: query.status,
      updatedAfter: query.updatedAfter,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, listCursorSchema),
      limit: query.limit,
    });
    return { data: page.data.map(consentRequestView), next: page.next };
  }

  @Get('consent-requests/:id')
  @ApiOperation({ summary: 'One consent request; `?refresh=true` asks Altinn for fresh status first' })
  @ApiZodParams(consentIdSchema)
  @ApiZodQuery(getConsentRequestQuerySchema)
  @ApiZodResponse(200, consentRequestResponseSchema)
  @ApiGatewayProblems('consent.not_found')
  async get(
    @CurrentTenant() principal: TenantPrincipal,
    @Param() params: unknown,
    @Query() rawQuery: unknown,
  ) {
    const { id } = parseRequest(consentIdSchema, params, 'param');
    const { refresh } = parseRequest(getConsentRequestQuerySchema, rawQuery, 'query');
    const consent = refresh
      ? await this.consents.refresh(principal.tenantId, id)
      : await this.consents.get(principal.tenantId, id);
    return consentRequestView(consent);
  }

  @Post('consent-requests/:id/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'A consent token (Maskinporten, authorization_details urn:altinn:consent)' })
  @ApiZodParams(consentIdSchema)
  @ApiZodBody(tokenRequestSchema, {})
  @ApiZodResponse(200, consentTokenResponseSchema, 'Never cached (`Cache-Control: no-store`)')
  @ApiGatewayProblems(
    'consent.not_found',
    'consent.scope_not_delegated',
    'consent.not_accepted',
    'consent.revoked',
    'consent.expired',
    'consent.upstream_refused',
    'consent.upstream_unavailable',
  )
  async token(
    @CurrentTenant() principal: TenantPrincipal,
    @Param() params: unknown,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { id } = parseRequest(consentIdSchema, params, 'param');
    const { scope } = parseRequest(tokenRequestSchema, body ?? undefined);
    // RFC 6749 §5.1: token responses are never cached.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.consents.issueToken(callerOf(principal, reply.request.id), id, scope);
  }
}
