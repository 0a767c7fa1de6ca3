import { classifyFailure, parseProblem } from './problem';

const problemBody = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  type: `urn:altinn:error:${code}`,
  title: 'A title',
  status,
  detail: 'A title',
  code,
  traceId: '00-abc-def-01',
  ...extra,
});

describe('classifyFailure', () => {
  it.each([
    ['a 401 with an empty body', 401, undefined, 'altinn.unauthorized'],
    ['a 403 with an empty body', 403, undefined, 'altinn.forbidden'],
    ['a 403 AM-00000', 403, problemBody('AM-00000', 403), 'altinn.forbidden'],
    ['a 404 AM-00001', 404, problemBody('AM-00001', 404), 'altinn.not_found'],
    ['a 404 that matched no route', 404, undefined, 'altinn.upstream_error'],
    ['a 400 AM-00016', 400, problemBody('AM-00016', 400, { requestId: 'x' }), 'altinn.id_conflict'],
    [
      'a 400 STD-00000',
      400,
      problemBody('STD-00000', 400, { validationErrors: [] }),
      'altinn.validation_failed',
    ],
    ['a 400 AM-00005', 400, problemBody('AM-00005', 400), 'altinn.request_refused'],
    ['a 400 AM-00008', 400, problemBody('AM-00008', 400, { key: 'inntektsaar' }), 'altinn.request_refused'],
    ['a 415 with an empty body', 415, undefined, 'altinn.upstream_error'],
    ['a 302', 302, undefined, 'altinn.upstream_error'],
    ['a 408', 408, undefined, 'altinn.unavailable'],
    ['a 429', 429, undefined, 'altinn.unavailable'],
    ['a 500 without a body', 500, undefined, 'altinn.unavailable'],
    ['a 502 with HTML', 502, '<html>Bad gateway</html>', 'altinn.unavailable'],
    ['a 503 STD-00001 listing nothing (a fault)', 503, problemBody('STD-00001', 503), 'altinn.unavailable'],
    [
      'a 500 STD-00001 listing 4xx problems',
      500,
      problemBody('STD-00001', 500, {
        problems: [problemBody('AM-00006', 400), problemBody('AM-00008', 400)],
      }),
      'altinn.validation_failed',
    ],
    [
      'a 500 STD-00001 listing a 5xx problem',
      500,
      problemBody('STD-00001', 500, { problems: [problemBody('AM-00006', 400), problemBody('X', 500)] }),
      'altinn.unavailable',
    ],
    [
      'an ASP.NET 500 without code',
      500,
      { type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1', status: 500 },
      'altinn.unavailable',
    ],
  ])('classifies %s as %s', (_label, status, body, code) => {
    expect(classifyFailure(status, body).code).toBe(code);
  });

  it('keeps the problem it read', () => {
    const body = problemBody('AM-00016', 400, { requestId: 'r-1' });
    expect(classifyFailure(400, body).problem).toEqual({
      type: 'urn:altinn:error:AM-00016',
      title: 'A title',
      status: 400,
      detail: 'A title',
      code: 'AM-00016',
      traceId: '00-abc-def-01',
      validationErrors: [],
      problems: [],
      extensions: { requestId: 'r-1' },
    });
  });
});

describe('parseProblem', () => {
  it('reads validation errors with their paths', () => {
    const problem = parseProblem(
      problemBody('STD-00000', 400, {
        validationErrors: [
          { code: 'AM.VLD-00022', title: 'The time need to be in the future', paths: ['/validTo'] },
          { code: 'STD.VLD-00000', paths: ['/consentRights/0/action', 7] },
          { title: 'no code, skipped' },
        ],
      }),
    );
    expect(problem?.validationErrors).toEqual([
      { code: 'AM.VLD-00022', title: 'The time need to be in the future', paths: ['/validTo'] },
      { code: 'STD.VLD-00000', paths: ['/consentRights/0/action'] },
    ]);
  });

  it('reads member names in any case and takes the code from the type when there is no code member', () => {
    expect(
      parseProblem({ Type: 'urn:altinn:error:AM-00005', Status: 400, TraceID: 't', Title: 'Invalid' }),
    ).toMatchObject({ code: 'AM-00005', status: 400, traceId: 't', title: 'Invalid', extensions: {} });
  });

  it.each([
    ['no body', undefined],
    ['a string', 'Bad gateway'],
    ['an array', [{ code: 'AM-00005' }]],
    ['an object without code or type', { message: 'oops' }],
  ])('finds no problem in %s', (_label, body) => {
    expect(parseProblem(body)).toBeUndefined();
  });
});
