import { bindConsentRequest, parseDateTimeWithOffset } from './create-request-binding';

const valid = {
  id: '0195F0E4-1C2B-7D3E-8F40-123456789ABC',
  from: 'urn:altinn:person:identifier-no:03867199348',
  to: 'urn:altinn:organization:identifier-no:313876144',
  validTo: '2030-01-01T00:00:00+01:00',
  consentRights: [
    {
      action: ['consent'],
      resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
      metadata: { INNTEKTSAAR: '2024' },
    },
  ],
  requestMessage: { nb: 'Hei', en: 'Hello' },
  redirectUrl: 'https://bank.example/done',
};

function without(key: keyof typeof valid) {
  return Object.fromEntries(Object.entries(valid).filter(([name]) => name !== key));
}

function errorsOf(body: unknown) {
  const result = bindConsentRequest(body);
  return result.ok ? {} : result.errors;
}

/** System.Text.Json stopped at `path`: that member beside the parameter's own required error. */
function jsonFailure(path: string) {
  return { consentRequest: ['The consentRequest field is required.'], [path]: [expect.any(String)] };
}

describe('binding a create body', () => {
  it('binds a valid body, the id lower-cased and the view mode defaulted to Hide', () => {
    const result = bindConsentRequest(valid);
    expect(result).toEqual({
      ok: true,
      request: expect.objectContaining({
        id: '0195f0e4-1c2b-7d3e-8f40-123456789abc',
        from: { kind: 'person', identifier: '03867199348' },
        to: { kind: 'organization', identifier: '313876144' },
        requiredDelegator: null,
        validTo: new Date('2029-12-31T23:00:00Z'),
        portalViewMode: 'Hide',
      }),
    });
  });

  it('reads property names case-insensitively (metaData binds as metadata)', () => {
    const body = {
      ID: valid.id,
      From: valid.from,
      TO: valid.to,
      validto: valid.validTo,
      ConsentRights: [
        {
          Action: ['consent'],
          Resource: [{ Type: 'urn:altinn:resource', VALUE: 'x' }],
          metaData: { a: 'b' },
        },
      ],
      RedirectUrl: valid.redirectUrl,
      portalviewmode: 'show',
    };
    const result = bindConsentRequest(body);
    expect(result.ok && result.request.consentRights[0].metadata).toEqual({ a: 'b' });
    expect(result.ok && result.request.portalViewMode).toBe('Show');
  });

  it('binds a null requestMessage and portalViewMode as none and Hide', () => {
    const result = bindConsentRequest({ ...valid, requestMessage: null, portalViewMode: null });
    expect(result.ok && [result.request.requestMessage, result.request.portalViewMode]).toEqual([
      null,
      'Hide',
    ]);
  });

  it('ignores members that are not inputs (handledBy, templateId), as System.Text.Json does', () => {
    const result = bindConsentRequest({
      ...valid,
      handledBy: 'urn:altinn:organization:identifier-no:310149942',
      templateId: 'default_v1',
    });
    expect(result.ok).toBe(true);
  });

  it('names the missing members as System.Text.Json does, beside the parameter', () => {
    const { id: _id, redirectUrl: _redirectUrl, ...body } = valid;
    expect(errorsOf(body)).toEqual({
      consentRequest: ['The consentRequest field is required.'],
      $: [
        "JSON deserialization for type 'Altinn.Authorization.Api.Contracts.Consent.ConsentRequestDto' was missing required properties including: 'id'; 'redirectUrl'.",
      ],
    });
  });

  it('takes request messages in any language', () => {
    const result = bindConsentRequest({ ...valid, requestMessage: { de: 'Hallo', sv: 'Hej' } });
    expect(result.ok && result.request.requestMessage).toEqual({ de: 'Hallo', sv: 'Hej' });
  });

  it('reads a validTo without offset as UTC', () => {
    const result = bindConsentRequest({ ...valid, validTo: '2030-01-01T00:00:00' });
    expect(result.ok && result.request.validTo).toEqual(new Date('2030-01-01T00:00:00Z'));
  });

  it('takes the view mode as a number, as the enum converter does', () => {
    const result = bindConsentRequest({ ...valid, portalViewMode: 1 });
    expect(result.ok && result.request.portalViewMode).toBe('Show');
  });

  it('keeps an empty resource list for the controller to fail on', () => {
    const result = bindConsentRequest({ ...valid, consentRights: [{ action: ['consent'], resource: [] }] });
    expect(result.ok && result.request.consentRights[0].resource).toEqual([]);
  });

  it.each([
    ['a missing id', without('id'), jsonFailure('$')],
    ['a missing redirectUrl', without('redirectUrl'), jsonFailure('$')],
    ['an id that is no UUID', { ...valid, id: 'abc' }, jsonFailure('$.id')],
    ['a validTo that is a number', { ...valid, validTo: 20300101 }, jsonFailure('$.validTo')],
    ['an impossible date', { ...valid, validTo: '2030-02-30T00:00:00Z' }, jsonFailure('$.validTo')],
    [
      'a person with a bad check digit',
      { ...valid, from: 'urn:altinn:person:identifier-no:03867199349' },
      jsonFailure('$.from'),
    ],
    [
      'an org with a bad check digit',
      { ...valid, to: 'urn:altinn:organization:identifier-no:313876145' },
      jsonFailure('$.to'),
    ],
    [
      'another URN kind',
      { ...valid, from: 'urn:altinn:party:uuid:0195f0e4-1c2b-7d3e-8f40-123456789abc' },
      jsonFailure('$.from'),
    ],
    ['a member given in two spellings', { ...valid, ID: valid.id }, jsonFailure('$.ID')],
    ['a view mode of another name', { ...valid, portalViewMode: 'Maybe' }, jsonFailure('$.portalViewMode')],
    ['consentRights that is no array', { ...valid, consentRights: {} }, jsonFailure('$.consentRights')],
    [
      'a right without action and resource',
      { ...valid, consentRights: [{}] },
      jsonFailure('$.consentRights[0]'),
    ],
    [
      'a metadata value that is no string',
      { ...valid, consentRights: [{ ...valid.consentRights[0], metadata: { INNTEKTSAAR: 2024 } }] },
      jsonFailure('$.consentRights[0].metadata.INNTEKTSAAR'),
    ],
    [
      'a metadata key in two spellings',
      {
        ...valid,
        consentRights: [{ ...valid.consentRights[0], metadata: { INNTEKTSAAR: '1', inntektsaar: '2' } }],
      },
      jsonFailure('$.consentRights[0].metadata.inntektsaar'),
    ],
    ['a body that is no object', [valid], jsonFailure('$')],
    ['a null from', { ...valid, from: null }, { From: ['The From field is required.'] }],
    [
      'an empty redirectUrl',
      { ...valid, redirectUrl: '' },
      { RedirectUrl: ['The RedirectUrl field is required.'] },
    ],
    [
      'null consentRights',
      { ...valid, consentRights: null },
      { ConsentRights: ['The ConsentRights field is required.'] },
    ],
    [
      'a right with null action and resource',
      { ...valid, consentRights: [{ action: null, resource: null }] },
      {
        'ConsentRights[0].Action': ['The Action field is required.'],
        'ConsentRights[0].Resource': ['The Resource field is required.'],
      },
    ],
  ])('refuses %s with the model state ASP.NET reports', (_case, body, errors) => {
    expect(errorsOf(body)).toEqual(errors);
  });
});

describe('date-time with offset', () => {
  it.each([
    ['2026-07-07T13:45:00.0000000+00:00', '2026-07-07T13:45:00.000Z'],
    ['2026-07-07T13:45:00Z', '2026-07-07T13:45:00.000Z'],
    ['2026-07-07T13:45+02:00', '2026-07-07T11:45:00.000Z'],
    ['2026-07-07T13:45:00.123456789-01:30', '2026-07-07T15:15:00.123Z'],
  ])('parses %s', (value, iso) => {
    expect(parseDateTimeWithOffset(value)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-07-07T13:45:00',
    '2026-07-07',
    '2026-13-01T00:00:00Z',
    '2026-07-07T24:00:00Z',
    '2026-07-07 13:45:00Z',
    '2026-07-07T13:45:00+15:00',
  ])('refuses %s', (value) => {
    expect(parseDateTimeWithOffset(value)).toBeUndefined();
  });
});
