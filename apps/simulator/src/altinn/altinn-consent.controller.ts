import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { type RawQuery } from './domain/event-feed';
import { type AltinnReply, AltinnConsentService, CONSENT_REQUESTS_PATH } from './altinn-consent.service';

/**
 * Writes a reply as Altinn does: empty bodies for 401/403 (no content type at all), problem details as
 * `application/problem+json` (docs/upstream-contract.md §2). The Fastify reply is used directly for that.
 */
function send(reply: FastifyReply, answer: AltinnReply): void {
  void reply.code(answer.status);
  if (answer.kind !== 'problem' && answer.headers) void reply.headers(answer.headers);
  switch (answer.kind) {
    case 'empty':
      void reply.send();
      return;
    case 'json':
      void reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(answer.body));
      return;
    case 'problem':
      void reply
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send(JSON.stringify(answer.body));
      return;
  }
}

/**
 * A route and its trailing-slash twin: ASP.NET matches both (Altinn's docs POST to `…/consentrequests/`),
 * Fastify only what is registered, and Nest strips exactly one trailing slash from a route path.
 */
function withTrailingSlash(path: string): string[] {
  return [path, `${path}//`];
}

/** Altinn's enterprise consent API (docs/upstream-contract.md §2). Routes are matched case-insensitively. */
@Controller(CONSENT_REQUESTS_PATH.slice(1))
export class AltinnConsentController {
  constructor(private readonly consents: AltinnConsentService) {}

  @Post(withTrailingSlash(''))
  async create(
    @Headers('authorization') authorization: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.consents.create(authorization, contentType, body));
  }

  @Get(withTrailingSlash('events'))
  async events(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: RawQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.consents.events(authorization, query));
  }

  @Get(withTrailingSlash(':id'))
  async get(
    @Headers('authorization') authorization: string | undefined,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.consents.get(authorization, id));
  }
}
