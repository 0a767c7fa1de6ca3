import { classifyFailure, gatewayPointer, parseProblem, UNHANDLED_EXCEPTION_RETRIES } from './problem';

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

// Altinn.Authorization.ProblemDetails 4.0.1: `code`, `status`, `detail`, no `type` and no `title`.
const problem401 = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  code,
  status,
  detail: `Detail of ${code}`,
  ...extra,
});

describe('the 4.0.1 problem shape and ASP.NET answers', () => {
  it('reads a problem without type or title by its code and detail', () => {
    expect(parseProblem(problem401('AM-00005', 400))).toMatchObject({
      code: 'AM-00005',
      status: 400,
      detail: 'Detail of AM-00005',
      title: undefined,
      type: undefined,
    });
    expect(classifyFailure(400, problem401('AM-00005', 400)).code).toBe('altinn.request_refused');
  });

  it.each([['validationErrors'], ['errors']])(
    'reads validation errors listed as `%s` with {code, detail, paths} and maps their paths',
    (member) => {
      const body = problem401('STD-00000', 400, {
        [member]: [
          { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['ValidTo'] },
          { code: 'STD.VLD-00000', detail: 'Required', paths: ['/consentRight/0/action'] },
          { code: 'AM.VLD-00002', detail: 'Invalid resource', paths: ['Resource'] },
          { code: 'AM.VLD-00009', detail: 'Invalid url', paths: ['RedirectUrl'] },
        ],
      });
      expect(classifyFailure(400, body)).toMatchObject({ code: 'altinn.validation_failed' });
      expect(parseProblem(body)?.validationErrors).toEqual([
        { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['/validTo'] },
        { code: 'STD.VLD-00000', detail: 'Required', paths: ['/consentRights/0/action'] },
        { code: 'AM.VLD-00002', detail: 'Invalid resource', paths: ['Resource'] },
        { code: 'AM.VLD-00009', detail: 'Invalid url', paths: ['/redirectUrl'] },
      ]);
    },
  );

  it('reads ASP.NET’s model-binding 400 as validation errors naming the fields', () => {
    const body = {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: {
        '$.validTo': ['The JSON value could not be converted to System.DateTimeOffset. Path: $.validTo'],
        '$.consentRights[0].action': ['The JSON value could not be converted.'],
        request: ['The request field is required.'],
      },
      traceId: '00-abc-def-00',
    };
    const failure = classifyFailure(400, body);
    expect(failure.code).toBe('altinn.validation_failed');
    expect(failure.problem?.validationErrors).toEqual([
      {
        detail: 'The JSON value could not be converted to System.DateTimeOffset. Path: $.validTo',
        paths: ['/validTo'],
      },
      { detail: 'The JSON value could not be converted.', paths: ['/consentRights/0/action'] },
      { detail: 'The request field is required.', paths: ['request'] },
    ]);
    expect(failure.problem?.extensions).toEqual({});
  });

  it('gives a 500 without a code (an unhandled exception) a small retry budget', () => {
    const body = {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
      title: 'An error occurred while processing your request.',
      status: 500,
      traceId: '00-abc-def-00',
    };
    expect(classifyFailure(500, body)).toMatchObject({
      code: 'altinn.unavailable',
      maxRetries: UNHANDLED_EXCEPTION_RETRIES,
    });
    expect(classifyFailure(500, undefined).maxRetries).toBe(UNHANDLED_EXCEPTION_RETRIES);
    expect(classifyFailure(503, undefined).maxRetries).toBeUndefined();
    expect(classifyFailure(500, problemBody('STD-00001', 500)).maxRetries).toBeUndefined();
  });
});

describe('gatewayPointer', () => {
  it.each([
    ['$.validTo', '/validTo'],
    ['$.consentRights[0].resource[0].value', '/consentRights/0/resource/0/value'],
    ['ConsentRights[1].Action', '/consentRights/1/action'],
    ['ValidTo', '/validTo'],
    ['RedirectUrl', '/redirectUrl'],
    ['/consentRight/2/action', '/consentRights/2/action'],
    ['/consentRights/0/metadata', '/consentRights/0/metadata'],
    ['/$QUERY/eventType', '/$QUERY/eventType'],
    ['$QUERY/eventType', '$QUERY/eventType'],
    ['consentRequest', 'consentRequest'],
    ['Resource', 'Resource'],
    ['request', 'request'],
    ['$', ''],
    ['not a path!', 'not a path!'],
  ])('maps %s to %s', (path, pointer) => {
    expect(gatewayPointer(path)).toBe(pointer);
  });
});
