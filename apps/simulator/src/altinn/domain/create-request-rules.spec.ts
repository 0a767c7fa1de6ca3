import { type ConsentRequestInput, type ConsentRightInput } from './create-request-binding';
import { type ConsentResourceFacts, isValidRedirectUrl, judgeConsentRequest } from './create-request-rules';
import { type Problem, renderProblem } from './problems';

const now = new Date('2026-01-15T10:00:00Z');
const RESOURCES: Record<string, ConsentResourceFacts> = {
  ttd_inntektsopplysninger: { metadataKeys: ['INNTEKTSAAR'], template: 'default_v1', oneTime: false },
  'enkelt-samtykke': { metadataKeys: ['simpletag'], template: 'default_v1', oneTime: false },
  engangs: { metadataKeys: [], template: 'DEFAULT_V1', oneTime: true },
  annen_mal: { metadataKeys: [], template: 'other_v1', oneTime: false },
};
const UNKNOWN = new Set(['01025161013', '974760673']);
const context = {
  now,
  isKnownParty: (identifier: string) => !UNKNOWN.has(identifier),
  resource: (id: string) => RESOURCES[id],
};

function right(resource: string, metadata: Record<string, string> | null = null): ConsentRightInput {
  return { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: resource }], metadata };
}

const income = right('ttd_inntektsopplysninger', { INNTEKTSAAR: '2024' });
const request: ConsentRequestInput = {
  id: '0195f0e4-1c2b-7d3e-8f40-123456789abc',
  from: { kind: 'person', identifier: '03867199348' },
  to: { kind: 'organization', identifier: '313876144' },
  requiredDelegator: null,
  validTo: new Date('2026-02-01T00:00:00Z'),
  consentRights: [income],
  requestMessage: null,
  redirectUrl: 'https://bank.example/done',
  portalViewMode: 'Hide',
};

/** code, then the codes inside (validation errors or combined problems), then extensions. */
function summary(problem: Problem): unknown {
  const body = renderProblem(problem);
  const { type: _type, title: _title, status, detail: _detail, code, ...rest } = body;
  if ('validationErrors' in rest) {
    const errors = rest.validationErrors as { code: string; paths: string[] }[];
    return [status, code, errors.map((error) => `${error.code} ${error.paths.join()}`)];
  }
  if ('problems' in rest)
    return [status, code, (rest.problems as { code: string }[]).map((inner) => inner.code)];
  return [status, code, rest];
}

function verdictOf(changes: Partial<ConsentRequestInput>) {
  const verdict = judgeConsentRequest({ ...request, ...changes }, context);
  return verdict.ok ? verdict : summary(verdict.problem);
}

describe('consent request rules', () => {
  it('accepts a request and names its template', () => {
    expect(verdictOf({})).toEqual({ ok: true, templateId: 'default_v1', oneTime: false });
  });

  it('compares metadata keys case-insensitively', () => {
    expect(
      verdictOf({ consentRights: [right('ttd_inntektsopplysninger', { inntektsaar: '2024' })] }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('reports a one-time resource and compares templates case-insensitively', () => {
    expect(verdictOf({ consentRights: [right('engangs'), income] })).toEqual({
      ok: true,
      templateId: 'DEFAULT_V1',
      oneTime: true,
    });
  });

  it.each([
    [
      'an unknown person',
      { from: { kind: 'person', identifier: '01025161013' } },
      [400, 'AM-00004', { fnumber: 'urn:altinn:person:identifier-no:01025161013' }],
    ],
    [
      'an unknown organisation',
      { from: { kind: 'organization', identifier: '974760673' } },
      [400, 'AM-00003', { orgnr: 'urn:altinn:organization:identifier-no:974760673' }],
    ],
    [
      'an unknown required delegator',
      { requiredDelegator: { kind: 'person', identifier: '01025161013' } },
      [400, 'AM-00004', { fnumber: 'urn:altinn:person:identifier-no:01025161013' }],
    ],
    [
      'a validTo that has passed',
      { validTo: new Date('2026-01-15T09:59:59Z') },
      [400, 'STD-00000', ['AM.VLD-00022 ValidTo']],
    ],
    ['a validTo of now', { validTo: now }, [400, 'STD-00000', ['AM.VLD-00022 ValidTo']]],
    ['no rights', { consentRights: [] }, [400, 'STD-00000', ['AM.VLD-00023 Resource']]],
    [
      'a right without actions',
      { consentRights: [{ ...income, action: [] }] },
      [400, 'STD-00000', ['STD.VLD-00000 /consentRight/0/action']],
    ],
    [
      'a right with two resources',
      { consentRights: [{ ...income, resource: [...(income.resource ?? []), ...(income.resource ?? [])] }] },
      [400, 'AM-00005', {}],
    ],
    ['a right without resources', { consentRights: [{ ...income, resource: [] }] }, [400, 'AM-00005', {}]],
    ['an unknown resource', { consentRights: [right('finnes_ikke')] }, [400, 'AM-00005', {}]],
    [
      'a resource attribute of another type',
      {
        consentRights: [
          { ...income, resource: [{ type: 'urn:altinn:app', value: 'ttd_inntektsopplysninger' }] },
        ],
      },
      [400, 'AM-00005', {}],
    ],
    ['rights of two templates', { consentRights: [income, right('annen_mal')] }, [400, 'AM-00009', {}]],
    [
      'an unknown metadata key',
      { consentRights: [right('ttd_inntektsopplysninger', { INNTEKTSAAR: '2024', Extra: 'x' })] },
      [400, 'AM-00006', { key: 'extra' }],
    ],
    [
      'an empty metadata value',
      { consentRights: [right('ttd_inntektsopplysninger', { INNTEKTSAAR: '' })] },
      [400, 'AM-00007', { 'ConsentRight index: 0, key': 'inntektsaar' }],
    ],
    [
      'a missing metadata key',
      { consentRights: [right('ttd_inntektsopplysninger')] },
      [400, 'AM-00008', { key: 'inntektsaar' }],
    ],
    [
      'metadata on a resource without keys',
      { consentRights: [right('engangs', { a: 'b' })] },
      [400, 'AM-00006', { key: 'a' }],
    ],
    [
      'an invalid redirect URL',
      { redirectUrl: 'not a valid url' },
      [400, 'STD-00000', ['AM.VLD-00027 RedirectUrl']],
    ],
    [
      'two request errors, as one validation problem',
      { validTo: now, redirectUrl: '' },
      [400, 'STD-00000', ['AM.VLD-00022 ValidTo', 'AM.VLD-00027 RedirectUrl']],
    ],
    [
      'a misspelt metadata key (unknown + missing)',
      { consentRights: [right('ttd_inntektsopplysninger', { INNTEKTSAR: '2024' })] },
      [500, 'STD-00001', ['AM-00006', 'AM-00008']],
    ],
    [
      'a right error and a request error',
      { consentRights: [{ ...income, action: [] }], validTo: now },
      [500, 'STD-00001', ['STD-00000', 'STD-00000']],
    ],
    [
      'an unknown resource and a bad redirect URL',
      { consentRights: [right('finnes_ikke')], redirectUrl: '/relative' },
      [500, 'STD-00001', ['AM-00005', 'STD-00000']],
    ],
  ] as [string, Partial<ConsentRequestInput>, unknown][])('refuses %s', (_case, changes, expected) => {
    expect(verdictOf(changes)).toEqual(expected);
  });
});

describe('redirect URLs', () => {
  it.each([
    'https://bank.example/done?consent=1',
    'http://localhost:8080/x',
    'no.bank.app://consent/done',
    'bankapp:done',
  ])('accepts %s', (url) => {
    expect(isValidRedirectUrl(url)).toBe(true);
  });

  it.each(['', 'not a valid url', '/relative/path', 'bank.example/done', 'https://', '1app://x'])(
    'refuses %j',
    (url) => {
      expect(isValidRedirectUrl(url)).toBe(false);
    },
  );
});
