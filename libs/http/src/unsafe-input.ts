/** One place in a parsed request part that no schema should ever see. */
export interface UnsafeInput {
  path: (string | number)[];
  detail: string;
}

/**
 * Deeper than any request body the gateway takes (a consent body nests 4 levels), shallow enough that no
 * recursive code after this check (zod, JSON.stringify of an idempotency fingerprint) can run out of stack.
 */
export const MAX_INPUT_DEPTH = 32;

/** Longer than any field name a schema knows; keys past it are refused before they reach a pointer or a row. */
export const MAX_KEY_LENGTH = 256;

// Postgres text and jsonb hold no U+0000 ("invalid byte sequence for encoding UTF8: 0x00", "unsupported
// Unicode escape sequence"), and jsonb refuses a UTF-16 surrogate without its pair.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate (not well-formed Unicode)';
  return undefined;
}

/**
 * Walks a parsed request part (JSON body, query or path parameters) once and returns every string and
 * every object key that Postgres could not store, every key longer than `MAX_KEY_LENGTH` and every
 * value nested deeper than `MAX_INPUT_DEPTH`. Iterative, so any nesting the body parser accepted is
 * walked without recursion.
 */
export function findUnsafeInput(value: unknown): UnsafeInput[] {
  const found: UnsafeInput[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) found.push({ path, detail: `must not contain ${problem}` });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      found.push({ path, detail: `nests deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    const children: { value: unknown; path: (string | number)[] }[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => children.push({ value: item, path: [...path, index] }));
    } else {
      for (const [key, item] of Object.entries(current)) {
        const keyPath = [...path, key];
        const problem = textProblem(key);
        if (problem) found.push({ path: keyPath, detail: `is a field name with ${problem}` });
        else if (key.length > MAX_KEY_LENGTH)
          found.push({ path: keyPath, detail: `is a field name longer than ${MAX_KEY_LENGTH} characters` });
        else children.push({ value: item, path: keyPath });
      }
    }
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
  }
  return found;
}
