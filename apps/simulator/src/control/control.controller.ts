import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { type JWK } from 'jose';
import { type z } from 'zod';
import { ConsentStore, type PersonAction } from '../core/consent-store';
import { FaultInjector } from '../core/fault-injector';
import { KmsKeyStore } from '../core/kms-key-store';
import { SimClock } from '../core/sim-clock';
import { SimEnvironment } from '../core/sim-environment';
import { SimRegistry } from '../core/sim-registry';
import { SimStats } from '../core/sim-stats';
import {
  clientSchema,
  clockSchema,
  delegationRevocationSchema,
  delegationSchema,
  faultSchema,
  personActionSchema,
  resourceSchema,
  unknownPartySchema,
} from './control.schemas';

function parse<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body ?? undefined);
  if (result.success) return result.data;
  throw new HttpException(
    {
      error: 'invalid_request',
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    },
    400,
  );
}

/** The simulator's own control API (docs/upstream-contract.md §4). Never part of a real upstream. */
@Controller('_sim')
export class ControlController {
  constructor(
    private readonly registry: SimRegistry,
    private readonly consents: ConsentStore,
    private readonly keys: KmsKeyStore,
    private readonly clock: SimClock,
    private readonly faults: FaultInjector,
    private readonly stats: SimStats,
    private readonly environment: SimEnvironment,
  ) {}

  @Get('info')
  info() {
    return {
      baseUrl: this.environment.baseUrl,
      maskinportenIssuer: this.environment.issuer,
      altinnBaseUrl: this.environment.baseUrl,
      kmsEndpoint: this.environment.baseUrl,
      kmsRegion: this.keys.region,
    };
  }

  @Post('clients')
  @HttpCode(201)
  upsertClient(@Body() body: unknown) {
    const input = parse(clientSchema, body);
    if (input.jwks === undefined && input.kmsKeyId === undefined) {
      throw new HttpException(
        { error: 'invalid_request', issues: [{ path: 'jwks', message: 'jwks or kmsKeyId is required' }] },
        400,
      );
    }
    if (input.kmsKeyId !== undefined) {
      const key = this.keys.resolve(input.kmsKeyId);
      // A client's grants are verified with the key's public half: only a signing key has one.
      const problem = !key ? 'no such KMS key' : key.keyUsage !== 'SIGN_VERIFY' ? 'not a signing key' : null;
      if (problem) {
        throw new HttpException(
          { error: 'invalid_request', issues: [{ path: 'kmsKeyId', message: problem }] },
          400,
        );
      }
    }
    return this.registry.upsertClient({
      clientId: input.clientId,
      orgNumber: input.orgNumber,
      scopes: input.scopes,
      jwks: input.jwks?.keys as JWK[] | undefined,
      kmsKeyId: input.kmsKeyId,
    });
  }

  @Get('clients/:clientId')
  client(@Param('clientId') clientId: string) {
    const client = this.registry.client(clientId);
    if (!client) throw new HttpException({ error: 'not_found' }, 404);
    return client;
  }

  @Post('delegations')
  @HttpCode(201)
  delegate(@Body() body: unknown) {
    const input = parse(delegationSchema, body);
    return { ...input, scopes: this.registry.delegate(input.consumerOrg, input.supplierOrg, input.scopes) };
  }

  @Delete('delegations')
  @HttpCode(204)
  revokeDelegation(@Body() body: unknown): void {
    const input = parse(delegationRevocationSchema, body);
    this.registry.revokeDelegation(input.consumerOrg, input.supplierOrg, input.scopes);
  }

  @Post('resources')
  @HttpCode(201)
  upsertResource(@Body() body: unknown) {
    return this.registry.upsertResource(parse(resourceSchema, body));
  }

  @Post('unknown-parties')
  @HttpCode(204)
  markUnknown(@Body() body: unknown): void {
    this.registry.markUnknown(parse(unknownPartySchema, body).identifier);
  }

  /** Stored consents whose `to` is the given party URN: lets tests count what Altinn really holds. */
  @Get('consents')
  consentsTo(@Query('to') to?: string) {
    if (!to)
      throw new HttpException(
        { error: 'invalid_request', issues: [{ path: 'to', message: 'required' }] },
        400,
      );
    return { data: [...this.consents.all()].filter((consent) => consent.to === to) };
  }

  @Get('consents/:id')
  consent(@Param('id') id: string) {
    const consent = this.consents.get(id);
    if (!consent) throw new HttpException({ error: 'not_found' }, 404);
    return consent;
  }

  @Post('consents/:id/:action')
  @HttpCode(200)
  act(@Param('id') id: string, @Param('action') action: string, @Body() body: unknown) {
    if (action !== 'accept' && action !== 'reject' && action !== 'revoke') {
      throw new HttpException({ error: 'not_found', message: `unknown action ${action}` }, 404);
    }
    const input = parse(personActionSchema, body);
    const result = this.consents.act(id, action satisfies PersonAction, input.performedBy);
    if (result.ok) return { id: result.consent.id, status: result.consent.status };
    if (result.reason === 'not_found') throw new HttpException({ error: 'not_found' }, 404);
    throw new HttpException(
      { error: 'invalid_state', message: `cannot ${action} a consent that is ${result.status}` },
      409,
    );
  }

  @Get('clock')
  getClock() {
    return { offsetSeconds: this.clock.offsetSeconds, now: this.clock.now().toISOString() };
  }

  @Put('clock')
  setClock(@Body() body: unknown) {
    this.clock.offsetSeconds = parse(clockSchema, body).offsetSeconds;
    return this.getClock();
  }

  @Get('faults')
  listFaults() {
    return { faults: this.faults.list() };
  }

  @Put('faults')
  setFault(@Body() body: unknown) {
    this.faults.set(parse(faultSchema, body));
    return this.listFaults();
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(@Query('upstream') upstream?: string): void {
    this.faults.clear(upstream ? parse(faultSchema.shape.upstream, upstream) : undefined);
  }

  @Get('stats')
  getStats() {
    return this.stats.snapshot();
  }

  @Delete('stats')
  @HttpCode(204)
  resetStats(): void {
    this.stats.reset();
  }
}
