import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { RequestValidationError } from './http.errors';
import { jsonPointer, type ProblemFieldError } from './problem';

export type RequestPart = 'body' | 'query' | 'param';

/**
 * Parses one part of a request against a zod schema, or throws `RequestValidationError` naming every
 * bad field by JSON pointer (and, for parameters, by name).
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  part: RequestPart = 'body',
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.flatMap((issue) => {
      // An unknown key is reported at the key itself, not at the object holding it.
      const paths =
        issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      return paths.map((path): ProblemFieldError => {
        const error: ProblemFieldError = { pointer: jsonPointer(path), detail: detailOf(issue) };
        if (part !== 'body' && path.length > 0) error.parameter = String(path[0]);
        return error;
      });
    }),
  );
}

function detailOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'is not a known field';
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  return issue.message;
}

/** `@Body(new ZodValidationPipe(schema))`: the zod schema is both the validator and the OpenAPI source. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(
    readonly schema: Schema,
    private readonly part: RequestPart = 'body',
  ) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.output<Schema> {
    // `@Param('id', pipe)` hands over the bare value: report it under its parameter's name.
    if (this.part !== 'body' && metadata?.data !== undefined) {
      return parseRequest(z.object({ [metadata.data]: this.schema }), { [metadata.data]: value }, this.part)[
        metadata.data
      ] as z.output<Schema>;
    }
    return parseRequest(this.schema, value, this.part);
  }
}
