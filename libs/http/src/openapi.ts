import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import {
  type HeaderObject,
  type ReferenceObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from './problem';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 takes it) of a zod schema, for request (input) or response (output). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** The name of the problem document in `components.schemas`. */
export const PROBLEM_SCHEMA_NAME = 'Problem';

/**
 * The RFC 9457 document every 4xx/5xx answer carries. Extension members are allowed (RFC 9457 §3.2); the
 * ones the gateway writes are named here.
 */
export const problemDocumentSchema = z
  .object({
    type: z.string().describe('a URI per code (`https://…/problems/<lib>/<code>`), or about:blank'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().describe('`urn:request:<id>`, the X-Request-Id of the answer'),
    code: z.string().optional().describe('stable domain error code'),
    errors: z
      .array(
        z.object({
          pointer: z.string().describe('RFC 6901 JSON pointer into the body or the parameter object'),
          detail: z.string(),
          parameter: z.string().optional().describe('query, path or header parameter the pointer is in'),
        }),
      )
      .optional()
      .describe('one entry per invalid field'),
    retryAfterSeconds: z.number().int().optional().describe('rate_limit.exceeded: as Retry-After'),
    consentRequestId: z.uuid().optional().describe('consent.upstream_refused: the request Altinn refused'),
    failure: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .describe("consent.upstream_refused: Altinn's problem details"),
    consentStatus: z.string().optional().describe('consent.not_accepted, revoked, expired: the status'),
    scope: z.string().optional().describe('consent.scope_not_delegated: the scope asked for'),
  })
  .catchall(z.unknown());

/** Documents a JSON request body by the zod schema that validates it, with an example to start from. */
export function ApiZodBody(schema: z.ZodType, example?: unknown): MethodDecorator {
  return ApiBody({
    schema: jsonSchemaOf(schema, 'input'),
    // A schema that takes no body (a default) makes the body optional.
    required: !schema.safeParse(undefined).success,
    ...(example === undefined ? {} : { examples: { seed: { summary: 'from the seeds', value: example } } }),
  });
}

/** What an answer says beside its body: a description and its headers (`Location`, …). */
export interface ZodResponseOptions {
  description?: string;
  headers?: Record<string, HeaderObject | ReferenceObject>;
}

/** Documents a JSON success answer by its zod schema. */
export function ApiZodResponse(
  status: number,
  schema: z.ZodType,
  options: string | ZodResponseOptions = '',
): MethodDecorator {
  const { description = '', headers } = typeof options === 'string' ? { description: options } : options;
  return ApiResponse({
    status,
    description,
    schema: jsonSchemaOf(schema, 'output'),
    ...(headers === undefined ? {} : { headers }),
  });
}

/** Documents problem+json answers by status alone (see ApiProblemCodes for answers with their codes). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: 'RFC 9457 problem details (application/problem+json)',
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } },
        },
      }),
    ),
  );
}

/** The operation extension ApiProblemCodes records its codes in, read back by `withProblemResponses`. */
export const PROBLEM_CODES_EXTENSION = 'x-problem-codes';

type RouteHandler = (...args: unknown[]) => unknown;

/**
 * Where @nestjs/swagger keeps an operation's extensions (its `DECORATORS.API_EXTENSION`, not exported).
 * Written directly because its `ApiExtension` keeps a key's first value, and codes must add up.
 */
const API_EXTENSION_METADATA = 'swagger/apiExtension';

/**
 * Records the problem codes an operation may answer with; on a controller, those of each of its routes
 * (added to the route's own). `withProblemResponses` turns them into one response per status.
 */
export function ApiProblemCodes(...codes: string[]): MethodDecorator & ClassDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const handlers: RouteHandler[] = descriptor
      ? [descriptor.value as RouteHandler]
      : Object.getOwnPropertyNames((target as { prototype: object }).prototype)
          .filter((name) => name !== 'constructor')
          .map(
            (name) =>
              Object.getOwnPropertyDescriptor((target as { prototype: object }).prototype, name)
                ?.value as unknown,
          )
          .filter((value): value is RouteHandler => typeof value === 'function');
    for (const handler of handlers) {
      const extensions = (Reflect.getMetadata(API_EXTENSION_METADATA, handler) ?? {}) as Record<
        string,
        unknown
      >;
      const known = (extensions[PROBLEM_CODES_EXTENSION] ?? []) as string[];
      Reflect.defineMetadata(
        API_EXTENSION_METADATA,
        { ...extensions, [PROBLEM_CODES_EXTENSION]: [...new Set([...known, ...codes])] },
        handler,
      );
    }
    return descriptor;
  }) as MethodDecorator & ClassDecorator;
}

/** A cursor page of `item` (documentation of `Page<T>`). */
export function pageSchemaOf<Item extends z.ZodType>(item: Item) {
  return z.object({
    data: z.array(item),
    next: z.string().nullable().describe('opaque cursor of the next page; null on the last page'),
  });
}
