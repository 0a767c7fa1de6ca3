import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminApi } from '@gw/auth';
import { ApiProblems, ApiZodResponse } from '@gw/http';
import { JwksDirectory, type PublishedJwks } from '@gw/signing';
import { ApiGatewayProblems } from '../openapi-responses';

const jwksResponseSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('RSA'),
      kid: z.string(),
      alg: z.string(),
      use: z.literal('sig'),
      n: z.string(),
      e: z.string(),
    }),
  ),
  publishedAt: z.string().describe('when a worker last read the keys from its signer'),
});

@ApiTags('admin: signing')
@AdminApi()
@ApiProblems(401)
@Controller('admin/v1/signing')
export class AdminSigningController {
  constructor(private readonly jwks: JwksDirectory) {}

  @Get('jwks')
  @ApiOperation({
    summary: 'The Maskinporten client’s public keys (active first), to register at Maskinporten',
    description: 'Published by the worker, which holds the signer; the gateway never calls KMS.',
  })
  @ApiZodResponse(200, jwksResponseSchema)
  @ApiProblems(503)
  @ApiGatewayProblems('signing.jwks_not_published')
  get(): Promise<PublishedJwks> {
    return this.jwks.read();
  }
}
