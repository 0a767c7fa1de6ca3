import { BadRequestException, NotFoundException } from '@nestjs/common';
import { InvalidCursorError, MalformedBodyError, RequestValidationError } from './http.errors';
import { HTTP_PROBLEMS, problemFor, type ProblemTable } from './problem-mapping';
import { jsonPointer, problemType } from './problem';

class SampleError extends Error {
  constructor(
    readonly code: 'sample.not_found' | 'sample.conflict' | 'sample.broken',
    message: string,
    readonly problemExtensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const table: ProblemTable<
  SampleError['code'] | 'http.invalid_request' | 'http.invalid_cursor' | 'http.malformed_body'
> = {
  'sample.not_found': { status: 404, title: 'Sample not found' },
  'sample.conflict': { status: 409, title: 'Sample conflict' },
  'sample.broken': { status: 503, title: 'Sample unavailable' },
  'http.invalid_request': { status: 422, title: 'Invalid request' },
  'http.invalid_cursor': { status: 400, title: 'Invalid cursor' },
  'http.malformed_body': { status: 400, title: 'Malformed request body' },
};

describe('problemFor', () => {
  it.each<[string, unknown, number, string | undefined, boolean]>([
    [
      'a coded domain error by its table row',
      new SampleError('sample.not_found', 'no'),
      404,
      'sample.not_found',
      false,
    ],
    ['a conflict', new SampleError('sample.conflict', 'twice'), 409, 'sample.conflict', false],
    ['a coded 5xx, logged', new SampleError('sample.broken', 'down'), 503, 'sample.broken', true],
    [
      'a validation error',
      new RequestValidationError([{ pointer: '/a', detail: 'bad' }]),
      422,
      'http.invalid_request',
      false,
    ],
    ['a bad cursor', new InvalidCursorError(), 400, 'http.invalid_cursor', false],
    ['a malformed body', new MalformedBodyError('not JSON'), 400, 'http.malformed_body', false],
    ['a Nest HTTP exception by its status', new NotFoundException('Cannot GET /x'), 404, undefined, false],
    ['a Nest 400', new BadRequestException('bad'), 400, undefined, false],
    [
      'an error whose code has no row as a 500',
      new SampleError('unknown.code' as never, 'secret detail'),
      500,
      undefined,
      true,
    ],
    ['a plain error as a 500', new Error('database password is hunter2'), 500, undefined, true],
    ['a thrown string as a 500', 'boom', 500, undefined, true],
  ])('answers %s', (_name, error, status, code, unexpected) => {
    const answer = problemFor(error, table, 'req-1');
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ status, instance: 'urn:request:req-1', title: expect.any(String) });
    expect(answer.body.code).toBe(code);
    expect(answer.unexpected !== undefined).toBe(unexpected);
  });

  it('tells when to retry a coded 503 (e.g. a request that could not be queued), and not a 4xx', () => {
    expect(problemFor(new SampleError('sample.broken', 'down'), table).retryAfterSeconds).toBeGreaterThan(0);
    expect(problemFor(new SampleError('sample.conflict', 'twice'), table).retryAfterSeconds).toBeUndefined();
  });

  it('never shows an unexpected error’s message, only the request id to quote', () => {
    const answer = problemFor(new Error('database password is hunter2'), table, 'req-7');
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    expect(answer.body.detail).toContain('req-7');
  });

  it('lists the bad fields of a validation error and copies extension members', () => {
    const fields = [{ pointer: '/orgNumber', detail: 'must be 9 digits' }];
    expect(problemFor(new RequestValidationError(fields), table).body.errors).toEqual(fields);
    expect(
      problemFor(new SampleError('sample.conflict', 'twice', { orgNumber: '313876144' }), table).body,
    ).toMatchObject({
      type: problemType('sample.conflict'),
      title: 'Sample conflict',
      detail: 'twice',
      orgNumber: '313876144',
    });
  });
});

describe('jsonPointer', () => {
  it.each<[PropertyKey[], string]>([
    [[], ''],
    [['name'], '/name'],
    [['scopes', 0], '/scopes/0'],
    [['a/b', 'c~d'], '/a~1b/c~0d'],
  ])('%j → %j', (path, pointer) => {
    expect(jsonPointer(path)).toBe(pointer);
  });
});

describe('problemFor when a backing service is away', () => {
  it('answers 503 with Retry-After instead of a 500, and still hands the error to the logs', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const answer = problemFor(error, HTTP_PROBLEMS, 'req-1');
    expect(answer).toMatchObject({
      status: 503,
      retryAfterSeconds: 5,
      body: { status: 503, code: 'http.dependency_unavailable', instance: 'urn:request:req-1' },
    });
    expect(answer.unexpected).toBe(error);
  });
});
