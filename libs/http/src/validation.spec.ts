import { z } from 'zod';
import { RequestValidationError } from './http.errors';
import { MAX_REPORTED_ERRORS, parseRequest, ZodValidationPipe } from './validation';

const schema = z.strictObject({
  orgNumber: z.string().regex(/^\d{9}$/, 'must be 9 digits'),
  scopes: z.array(z.string().min(1, 'must not be empty')).optional(),
  nested: z.object({ 'a/b': z.number() }).optional(),
});

function errorsOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).errors;
  }
  throw new Error('expected a RequestValidationError');
}

describe('parseRequest', () => {
  it('returns the parsed value', () => {
    expect(parseRequest(schema, { orgNumber: '313876144' })).toEqual({ orgNumber: '313876144' });
  });

  it.each([
    ['a missing field', {}, [{ pointer: '/orgNumber', detail: 'is required' }]],
    ['a bad field', { orgNumber: '1' }, [{ pointer: '/orgNumber', detail: 'must be 9 digits' }]],
    [
      'an array element',
      { orgNumber: '313876144', scopes: ['a', ''] },
      [{ pointer: '/scopes/1', detail: 'must not be empty' }],
    ],
    [
      'an unknown field',
      { orgNumber: '313876144', extra: 1 },
      [{ pointer: '/extra', detail: 'is not a known field' }],
    ],
    [
      'a key needing escapes',
      { orgNumber: '313876144', nested: { 'a/b': 'x' } },
      [{ pointer: '/nested/a~1b', detail: expect.any(String) }],
    ],
    ['a body that is not an object', 'text', [{ pointer: '', detail: expect.any(String) }]],
  ])('names %s by JSON pointer', (_name, body, expected) => {
    expect(errorsOf(() => parseRequest(schema, body))).toEqual(expected);
  });

  it('refuses NUL and lone surrogates anywhere, keys included, before the schema is asked', () => {
    const errors = errorsOf(() =>
      parseRequest(z.unknown(), { name: 'a\u0000', list: ['\ud800'], map: { 'k\u0000': 'v' } }),
    );
    expect(errors.map((error) => error.pointer).sort()).toEqual(['/list/0', '/map/k\u0000', '/name']);
    expect(errors.every((error) => !('parameter' in error))).toBe(true);
  });

  it('names the parameter that holds a NUL', () => {
    expect(errorsOf(() => parseRequest(z.object({ id: z.string() }), { id: '\u0000' }, 'param'))).toEqual([
      { pointer: '/id', detail: 'must not contain the NUL character (U+0000)', parameter: 'id' },
    ]);
  });

  it('cuts a long unknown key in the pointer, so the answer never echoes it whole', () => {
    const key = 'k'.repeat(200);
    const [error] = errorsOf(() => parseRequest(schema, { orgNumber: '313876144', [key]: 1 }));
    expect(error.pointer).toBe(`/${'k'.repeat(64)}…`);
  });

  it('reports a bounded number of fields however many are bad', () => {
    const errors = errorsOf(() => parseRequest(z.array(z.string()), Array(10_000).fill(1)));
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS);
  });

  it('says which record key is refused', () => {
    const metadata = z.record(z.string().max(3), z.string());
    expect(errorsOf(() => parseRequest(z.object({ metadata }), { metadata: { long: 'v' } }))).toEqual([
      { pointer: '/metadata/long', detail: expect.stringMatching(/^is not an allowed key \(.*3/) },
    ]);
  });
});

describe('ZodValidationPipe', () => {
  it('names a path parameter', () => {
    const pipe = new ZodValidationPipe(z.uuid('must be a UUID'), 'param');
    expect(errorsOf(() => pipe.transform('42', { type: 'param', data: 'id' }))).toEqual([
      { pointer: '/id', detail: 'must be a UUID', parameter: 'id' },
    ]);
  });

  it('names a query parameter of a whole-query schema', () => {
    const pipe = new ZodValidationPipe(z.strictObject({ limit: z.coerce.number().int().max(10) }), 'query');
    expect(errorsOf(() => pipe.transform({ limit: '11' }, { type: 'query' }))).toEqual([
      { pointer: '/limit', detail: expect.any(String), parameter: 'limit' },
    ]);
  });
});
