import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiQuery } from '@nestjs/swagger';
import { type SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { type z } from 'zod';
import { jsonSchemaOf } from './openapi';

interface Member {
  name: string;
  required: boolean;
  schema: SchemaObject;
  description?: string;
}

/** The top-level fields of an object schema, as the request side (`io: input`) sees them. */
function membersOf(schema: z.ZodType): Member[] {
  const json = jsonSchemaOf(schema, 'input') as {
    properties?: Record<string, SchemaObject>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, required: required.has(name), schema: rest, ...(description ? { description } : {}) };
  });
}

/**
 * Documents every query parameter of an object schema (the one `parseRequest(schema, query, 'query')`
 * validates), limits included; without it a `@Query()` taken as `unknown` is absent from OpenAPI.
 */
export function ApiZodQuery(schema: z.ZodType): MethodDecorator {
  return applyDecorators(...membersOf(schema).map((member) => ApiQuery(member)));
}

/** Documents the path parameters of an object schema, or of one bare schema under `name`. */
export function ApiZodParams(schema: z.ZodType, name?: string): MethodDecorator & ClassDecorator {
  const members =
    name === undefined
      ? membersOf(schema)
      : [{ name, schema: jsonSchemaOf(schema, 'input') as SchemaObject }];
  return applyDecorators(
    ...members.map(({ name: parameter, schema: json }) =>
      ApiParam({ name: parameter, required: true, schema: json }),
    ),
  );
}

/** Documents request headers of an object schema keyed by header name (e.g. `Idempotency-Key`). */
export function ApiZodHeaders(schema: z.ZodType): MethodDecorator {
  return applyDecorators(...membersOf(schema).map((member) => ApiHeader(member)));
}
