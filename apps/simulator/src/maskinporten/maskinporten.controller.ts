import { Body, Controller, Get, Headers, Post, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { MaskinportenTokenService } from './maskinporten-token.service';

/**
 * Maskinporten's endpoints (docs/upstream-contract.md §1), at the root of the simulator like the real
 * issuer's.
 */
@Controller()
export class MaskinportenController {
  constructor(private readonly maskinporten: MaskinportenTokenService) {}

  @Get('.well-known/oauth-authorization-server')
  metadata() {
    return this.maskinporten.metadata();
  }

  @Get('jwk')
  jwks() {
    return this.maskinporten.jwks();
  }

  @Post('token')
  async token(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.maskinporten.token(contentType, body);
    // RFC 6749 §5.1: token responses are never cached.
    await reply
      .code(answer.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(answer.body));
  }
}
