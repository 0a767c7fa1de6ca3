import {
  combineProblems,
  problem,
  PROBLEMS,
  problemStatus,
  renderModelStateProblem,
  renderProblem,
  renderUnhandledException,
  validationError,
  VALIDATION_ERRORS,
  validationProblem,
} from './problems';

describe('Altinn problem details', () => {
  const unknownKey = problem(PROBLEMS.unknownConsentMetadata, { key: 'inntektsaar' });
  const pastValidTo = validationProblem([validationError(VALIDATION_ERRORS.timeNotInFuture, 'ValidTo')]);

  it('renders a problem with the status defaults as type and title, the descriptor text as detail, and its extensions', () => {
    expect(renderProblem(unknownKey)).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid consent metadata',
      code: 'AM-00006',
      key: 'inntektsaar',
    });
  });

  it('renders validation errors under STD-00000 as {code, detail, paths}', () => {
    expect(renderProblem(pastValidTo)).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'Bad Request',
      status: 400,
      detail: 'One or more validation errors occurred.',
      code: 'STD-00000',
      validationErrors: [
        { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['ValidTo'] },
      ],
    });
  });

  it.each([
    ['no problem', [], undefined],
    ['one problem as it is', [unknownKey], 400],
    ['several problems as one HTTP 500', [unknownKey, pastValidTo], 500],
  ] as const)('combines %s', (_case, problems, status) => {
    const combined = combineProblems([...problems]);
    expect(combined && problemStatus(combined)).toBe(status);
  });

  it('lists the combined problems under STD-00001, the inner ones without type and title', () => {
    const combined = combineProblems([unknownKey, pastValidTo]);
    expect(combined && renderProblem(combined)).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
      title: 'An error occurred while processing your request.',
      status: 500,
      detail: 'Multiple problems occurred.',
      code: 'STD-00001',
      problems: [
        { status: 400, detail: 'Invalid consent metadata', code: 'AM-00006', key: 'inntektsaar' },
        {
          status: 400,
          detail: 'One or more validation errors occurred.',
          code: 'STD-00000',
          validationErrors: [
            { code: 'AM.VLD-00022', detail: 'The time need to be in the future', paths: ['ValidTo'] },
          ],
        },
      ],
    });
  });

  it('renders an unhandled exception as ASP.NET does: no code, no detail', () => {
    expect(renderUnhandledException('trace')).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
      title: 'An error occurred while processing your request.',
      status: 500,
      traceId: 'trace',
    });
  });

  it('renders unbindable input as ASP.NET’s errors map', () => {
    expect(renderModelStateProblem({ '$.validTo': ['x'] }, 'trace')).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { '$.validTo': ['x'] },
      traceId: 'trace',
    });
  });
});
