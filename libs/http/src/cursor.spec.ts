import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import { InvalidCursorError } from './http.errors';

const position = z.object({ id: z.string().regex(/^\d+$/) });

describe('cursor codec', () => {
  it.each([[{ id: '42' }], [{ id: '9007199254740993' }]])('round-trips %j', (value) => {
    const cursor = encodeCursor(value);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position)).toEqual(value);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['base64url of something that is not JSON', Buffer.from('{id:').toString('base64url')],
    ['JSON of another listing', encodeCursor({ createdAt: '2025-01-01' })],
    ['a position of the wrong type', encodeCursor({ id: 'abc' })],
    ['an empty string', ''],
    ['an absurdly long string', 'A'.repeat(600)],
  ])('refuses %s', (_name, cursor) => {
    expect(() => decodeCursor(cursor, position)).toThrow(InvalidCursorError);
  });
});

describe('pageOf', () => {
  const rows = [{ id: '1' }, { id: '2' }, { id: '3' }];
  const toItem = (row: { id: string }) => Number(row.id);

  it('hands out `limit` rows and a cursor at the last one when a further row was fetched', () => {
    const page = pageOf(rows, 2, (row) => ({ id: row.id }), toItem);
    expect(page.data).toEqual([1, 2]);
    expect(decodeCursor(page.next!, position)).toEqual({ id: '2' });
  });

  it.each([
    ['exactly limit rows', rows, 3],
    ['fewer rows than limit', rows.slice(0, 1), 3],
    ['no rows', [], 3],
  ])('ends the listing with %s', (_name, fetched, limit) => {
    expect(pageOf(fetched, limit, (row) => ({ id: row.id }), toItem).next).toBeNull();
  });
});
