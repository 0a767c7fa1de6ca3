import { type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CODES_EXTENSION } from './openapi';
import { withProblemResponses, type ResponseRules } from './openapi-responses';

const document = (operation: Record<string, unknown>): OpenAPIObject => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { '/things/{id}': { post: { responses: { 200: { description: 'ok' } }, ...operation } } },
});

const rules: ResponseRules = {
  problems: {
    'things.not_found': { status: 404, title: 'Thing not found' },
    'things.gone': { status: 404, title: 'Thing gone' },
    'auth.missing': { status: 401, title: 'Authentication required' },
  },
  impliedCodes: (at) => (at.operation.security ? ['auth.missing'] : []),
  uncodedProblems: (at): Record<number, string> => (at.operation.requestBody ? { 415: 'not JSON' } : {}),
  headers: (_at, status): Record<string, { $ref: string }> =>
    status === 200 ? { 'X-Id': { $ref: '#/components/headers/X-Id' } } : {},
  componentHeaders: { 'X-Id': { schema: { type: 'string' } } },
};

describe('withProblemResponses', () => {
  it('answers each status once, its code an enum of the declared and implied codes, and drops the extension', () => {
    const completed = withProblemResponses(
      document({ [PROBLEM_CODES_EXTENSION]: ['things.not_found', 'things.gone'], security: [{ key: [] }] }),
      rules,
    );
    const operation = completed.paths['/things/{id}'].post as Record<string, any>;
    expect(Object.keys(operation.responses)).toEqual(['200', '401', '404']);
    expect(operation[PROBLEM_CODES_EXTENSION]).toBeUndefined();
    const schema = operation.responses['404'].content['application/problem+json'].schema;
    expect(schema.allOf).toEqual([
      { $ref: '#/components/schemas/Problem' },
      { type: 'object', properties: { code: { type: 'string', enum: ['things.gone', 'things.not_found'] } } },
    ]);
    expect(operation.responses['401'].description).toContain('`auth.missing` Authentication required');
    expect(operation.responses['200'].headers).toEqual({ 'X-Id': { $ref: '#/components/headers/X-Id' } });
    expect(completed.components?.headers).toEqual(rules.componentHeaders);
    expect(completed.components?.schemas?.Problem).toMatchObject({
      required: ['type', 'title', 'status', 'detail'],
    });
  });

  it('adds the uncoded problems a rule names, with the bare problem schema', () => {
    const completed = withProblemResponses(document({ requestBody: { content: {} } }), rules);
    const responses = (completed.paths['/things/{id}'].post as Record<string, any>).responses;
    expect(responses['415'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('refuses a code without a row in the problem table', () => {
    expect(() =>
      withProblemResponses(document({ [PROBLEM_CODES_EXTENSION]: ['things.unknown'] }), rules),
    ).toThrow('POST /things/{id}: no problem row for things.unknown');
  });
});
