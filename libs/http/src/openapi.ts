import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 takes it) of a zod schema, for request (input) or response (output). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** The RFC 9457 document every 4xx/5xx answer carries. */
export const problemDocumentSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string().optional().describe('stable domain error code'),
  errors: z
    .array(z.object({ pointer: z.string(), detail: z.string(), parameter: z.string().optional() }))
    .optional(),
});

/** Documents a JSON request body by the zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: jsonSchemaOf(schema, 'input') });
}

/** Documents a JSON success answer by its zod schema. */
export function ApiZodResponse(status: number, schema: z.ZodType, description = ''): MethodDecorator {
  return ApiResponse({ status, description, schema: jsonSchemaOf(schema, 'output') });
}

/** Documents the problem+json answers an operation may give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: 'RFC 9457 problem details (application/problem+json)',
        content: { 'application/problem+json': { schema: jsonSchemaOf(problemDocumentSchema, 'output') } },
      }),
    ),
  );
}

/** A cursor page of `item` (documentation of `Page<T>`). */
export function pageSchemaOf<Item extends z.ZodType>(item: Item) {
  return z.object({
    data: z.array(item),
    next: z.string().nullable().describe('opaque cursor of the next page; null on the last page'),
  });
}
