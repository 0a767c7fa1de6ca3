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
  return result.ok ? [] : result.errors.map((error) => [error.descriptor.code, error.paths[0]]);
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
    expect(result.ok && result.request.consentRights?.[0].metadata).toEqual({ a: 'b' });
    expect(result.ok && result.request.portalViewMode).toBe('Show');
  });

  it('keeps explicit nulls for the rules to answer', () => {
    const result = bindConsentRequest({
      ...valid,
      consentRights: null,
      requestMessage: null,
      portalViewMode: null,
    });
    expect(
      result.ok && [
        result.request.consentRights,
        result.request.requestMessage,
        result.request.portalViewMode,
      ],
    ).toEqual([null, null, 'Hide']);
  });

  it.each([
    ['a missing id', without('id'), [['STD.VLD-00000', '/id']]],
    ['a missing redirectUrl', without('redirectUrl'), [['STD.VLD-00000', '/redirectUrl']]],
    ['a null from', { ...valid, from: null }, [['STD.VLD-00000', '/from']]],
    ['an id that is no UUID', { ...valid, id: 'abc' }, [['STD.VLD-00017', '/id']]],
    [
      'a person with a bad check digit',
      { ...valid, from: 'urn:altinn:person:identifier-no:03867199349' },
      [['STD.VLD-00017', '/from']],
    ],
    [
      'an org with a bad check digit',
      { ...valid, to: 'urn:altinn:organization:identifier-no:313876145' },
      [['STD.VLD-00017', '/to']],
    ],
    [
      'another URN kind',
      { ...valid, from: 'urn:altinn:party:uuid:0195f0e4-1c2b-7d3e-8f40-123456789abc' },
      [['STD.VLD-00017', '/from']],
    ],
    [
      'a validTo without offset',
      { ...valid, validTo: '2030-01-01T00:00:00' },
      [['STD.VLD-00017', '/validTo']],
    ],
    ['an impossible date', { ...valid, validTo: '2030-02-30T00:00:00Z' }, [['STD.VLD-00017', '/validTo']]],
    [
      'handledBy',
      { ...valid, handledBy: 'urn:altinn:organization:identifier-no:310149942' },
      [['STD.VLD-00017', '/handledBy']],
    ],
    ['templateId', { ...valid, templateId: 'default_v1' }, [['STD.VLD-00017', '/templateId']]],
    ['a member given in two spellings', { ...valid, ID: valid.id }, [['STD.VLD-00017', '/id']]],
    ['a number view mode', { ...valid, portalViewMode: 1 }, [['STD.VLD-00017', '/portalViewMode']]],
    [
      'a language other than nb/nn/en',
      { ...valid, requestMessage: { de: 'Hallo' } },
      [['STD.VLD-00002', '/requestMessage/de']],
    ],
    [
      'consentRights that is no array',
      { ...valid, consentRights: {} },
      [['STD.VLD-00017', '/consentRights']],
    ],
    [
      'a right without action and resource',
      { ...valid, consentRights: [{}] },
      [
        ['STD.VLD-00000', '/consentRights/0/action'],
        ['STD.VLD-00000', '/consentRights/0/resource'],
      ],
    ],
    [
      'an empty action',
      { ...valid, consentRights: [{ ...valid.consentRights[0], action: [''] }] },
      [['STD.VLD-00002', '/consentRights/0/action/0']],
    ],
    [
      'a metadata value that is no string',
      { ...valid, consentRights: [{ ...valid.consentRights[0], metadata: { INNTEKTSAAR: 2024 } }] },
      [['STD.VLD-00017', '/consentRights/0/metadata/INNTEKTSAAR']],
    ],
    [
      'a metadata key in two spellings',
      {
        ...valid,
        consentRights: [{ ...valid.consentRights[0], metadata: { INNTEKTSAAR: '1', inntektsaar: '2' } }],
      },
      [['STD.VLD-00017', '/consentRights/0/metadata/inntektsaar']],
    ],
    ['a body that is no object', [valid], [['STD.VLD-00017', '/']]],
  ])('refuses %s', (_case, body, errors) => {
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
