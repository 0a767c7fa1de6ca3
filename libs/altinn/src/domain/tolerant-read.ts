import { z } from 'zod';

// docs/upstream-contract.md: read answers tolerantly (any casing, extra members). Altinn is ASP.NET with
// System.Text.Json: member names bind case-insensitively and enums come PascalCase in details, in varying
// case in the feed. These helpers read that way; nothing here is used to write.

/**
 * An object whose member names match case-insensitively (the first spelling with a value wins); other
 * members are dropped.
 */
export function caseInsensitiveObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = new Map(Object.keys(shape).map((name) => [name.toLowerCase(), name]));
  return z.preprocess((input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const renamed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const name = names.get(key.toLowerCase());
      if (name !== undefined && value !== undefined && !(name in renamed)) renamed[name] = value;
    }
    return renamed;
  }, z.object(shape));
}

/** One of `values` (lower-case), whatever case Altinn wrote it in. */
export function caseInsensitiveEnum<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values));
}

/** A date-time as Altinn writes it (`…+00:00`, up to seven fraction digits). */
export const dateTime = z.string().transform((value, context) => {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    context.addIssue({ code: 'custom', message: 'not a date-time' });
    return z.NEVER;
  }
  return parsed;
});

/** Reads `text` as JSON; undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
