import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { RequestValidationError } from './http.errors';
import { jsonPointer, type ProblemFieldError } from './problem';
import { findUnsafeInput } from './unsafe-input';

export type RequestPart = 'body' | 'query' | 'param';

/** A problem names at most this many fields: a 1 MB array of bad items must not answer megabytes. */
export const MAX_REPORTED_ERRORS = 50;

/** Longest key or parameter name a problem repeats; a longer one is cut, so no answer echoes it whole. */
const MAX_ECHOED_NAME = 64;

/**
 * Parses one part of a request against a zod schema, or throws `RequestValidationError` naming every
 * bad field by JSON pointer (and, for parameters, by name). Before the schema, the whole part is walked
 * once for what no field may hold (NUL, lone surrogates, runaway nesting or key length), so every route
 * refuses those the same way whatever its schema says.
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  part: RequestPart = 'body',
): z.output<Schema> {
  const unsafe = findUnsafeInput(value);
  if (unsafe.length > 0) {
    throw new RequestValidationError(
      unsafe.slice(0, MAX_REPORTED_ERRORS).map(({ path, detail }) => fieldError(path, detail, part)),
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    // An unknown key is reported at the key itself, not at the object holding it.
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => fieldError(path, detailOf(issue), part));
  });
  throw new RequestValidationError(errors.slice(0, MAX_REPORTED_ERRORS));
}

function fieldError(path: readonly PropertyKey[], detail: string, part: RequestPart): ProblemFieldError {
  const clipped = path.map(clip);
  const error: ProblemFieldError = { pointer: jsonPointer(clipped), detail };
  if (part !== 'body' && clipped.length > 0) error.parameter = String(clipped[0]);
  return error;
}

function clip(segment: PropertyKey): PropertyKey {
  return typeof segment === 'string' && segment.length > MAX_ECHOED_NAME
    ? `${segment.slice(0, MAX_ECHOED_NAME)}…`
    : segment;
}

function detailOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'is not a known field';
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  if (issue.code === 'invalid_key')
    return `is not an allowed key (${issue.issues[0]?.message ?? issue.message})`;
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
