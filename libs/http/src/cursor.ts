import { type z } from 'zod';
import { InvalidCursorError } from './http.errors';

/** A page of a keyset-paginated listing: `next` is the opaque cursor of the following page, or null. */
export interface Page<T> {
  data: T[];
  next: string | null;
}

/**
 * Opaque cursor: base64url of a JSON position. Opaque means clients must not build or read it; it is
 * not a secret, since every listing is filtered by the caller's own rights whatever the cursor says.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor against the listing's position schema; anything else is `http.invalid_cursor`. */
export function decodeCursor<Schema extends z.ZodType>(cursor: string, schema: Schema): z.output<Schema> {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursorError();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const result = schema.safeParse(position);
  if (!result.success) throw new InvalidCursorError();
  return result.data;
}

/**
 * Builds a page from `limit + 1` rows fetched in keyset order: the extra row only says whether
 * there is a next page, and the cursor points at the last row handed out.
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  positionOf: (row: Row) => Record<string, string | number>,
  toItem: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(toItem),
    next: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
