import {
  combineProblems,
  problem,
  PROBLEMS,
  problemStatus,
  renderProblem,
  validationError,
  VALIDATION_ERRORS,
  validationProblem,
} from './problems';

describe('Altinn problem details', () => {
  const unknownKey = problem(PROBLEMS.unknownConsentMetadata, { key: 'inntektsaar' });
  const pastValidTo = validationProblem([validationError(VALIDATION_ERRORS.timeNotInFuture, '/validTo')]);

  it('renders a problem with its code as type and its extensions at the top level', () => {
    expect(renderProblem(unknownKey, 'trace')).toEqual({
      type: 'urn:altinn:error:AM-00006',
      title: 'Invalid consent metadata',
      status: 400,
      detail: 'Invalid consent metadata',
      code: 'AM-00006',
      traceId: 'trace',
      key: 'inntektsaar',
    });
  });

  it('renders validation errors under STD-00000', () => {
    expect(renderProblem(pastValidTo, 'trace')).toMatchObject({
      code: 'STD-00000',
      status: 400,
      validationErrors: [
        { code: 'AM.VLD-00022', title: 'The time need to be in the future', paths: ['/validTo'] },
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

  it('lists the combined problems under STD-00001', () => {
    const combined = combineProblems([unknownKey, pastValidTo]);
    expect(combined && renderProblem(combined, 'trace')).toMatchObject({
      type: 'urn:altinn:error:STD-00001',
      code: 'STD-00001',
      status: 500,
      problems: [{ code: 'AM-00006' }, { code: 'STD-00000' }],
    });
  });
});
