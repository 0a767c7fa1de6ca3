import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { ApiZodHeaders, ApiZodParams, ApiZodQuery } from './openapi-parameters';

const query = z.strictObject({
  status: z.enum(['a', 'b']).optional(),
  cursor: z.string().max(512).optional().describe('the previous page’s next'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

@Controller('things')
class ThingsController {
  @Get(':id/parts/:partId')
  @ApiZodParams(z.object({ id: z.uuid().max(36) }))
  @ApiZodParams(z.string().max(20), 'partId')
  @ApiZodQuery(query)
  @ApiZodHeaders(z.object({ 'Idempotency-Key': z.string().max(255).optional() }))
  get(@Param('partId') _part: string, @Query() _query: unknown, @Headers('idempotency-key') _key: unknown) {
    return {};
  }
}

describe('OpenAPI parameters from zod schemas', () => {
  it('documents each path, query and header parameter with its limits', async () => {
    const module = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
    const app = module.createNestApplication(new FastifyAdapter());
    await app.init();
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    await app.close();
    const parameters = document.paths['/things/{id}/parts/{partId}'].get?.parameters ?? [];
    const byName = Object.fromEntries(
      parameters.map((parameter) => [(parameter as { name: string }).name, parameter]),
    );
    // `@Param('partId')` is reflected too: the schema's documentation replaces it, not beside it.
    expect(parameters).toHaveLength(6);
    expect(byName.id).toMatchObject({
      in: 'path',
      required: true,
      schema: { type: 'string', maxLength: 36, format: 'uuid' },
    });
    expect(byName.partId).toMatchObject({ in: 'path', required: true, schema: { maxLength: 20 } });
    expect(byName.status).toMatchObject({ in: 'query', required: false, schema: { enum: ['a', 'b'] } });
    expect(byName.cursor).toMatchObject({
      in: 'query',
      required: false,
      description: 'the previous page’s next',
      schema: { maxLength: 512 },
    });
    expect(byName.limit).toMatchObject({ in: 'query', required: false, schema: { maximum: 200 } });
    expect(byName['Idempotency-Key']).toMatchObject({
      in: 'header',
      required: false,
      schema: { maxLength: 255 },
    });
  });
});
