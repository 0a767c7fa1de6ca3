import { CONSENT_INPUT_LIMITS as LIMIT, isAbsoluteRedirectUrl, validateConsentInput } from './consent-input';

const TENANT = '313876144';
const TENANT_URN = 'urn:altinn:organization:identifier-no:313876144';
const now = new Date('2026-01-15T10:00:00Z');

function body(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 'urn:altinn:person:identifier-no:03867199348',
    validTo: '2026-07-07T13:45:00+02:00',
    consentRights: [
      {
        action: ['consent'],
        resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
        metadata: { INNTEKTSAAR: '2024' },
      },
    ],
    redirectUrl: 'https://sparebanksuper.example/lan/samtykke?soknad=4711',
    ...changes,
  };
}

const right = (changes: Record<string, unknown>) => [
  { ...(body().consentRights as object[])[0], ...changes },
];

describe('validateConsentInput', () => {
  it('accepts a minimal body and fills in the tenant as `to`', () => {
    expect(validateConsentInput(body(), TENANT, now)).toEqual({
      ok: true,
      value: {
        from: 'urn:altinn:person:identifier-no:03867199348',
        to: TENANT_URN,
        validTo: new Date('2026-07-07T11:45:00Z'),
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAAR: '2024' },
          },
        ],
        redirectUrl: 'https://sparebanksuper.example/lan/samtykke?soknad=4711',
      },
    });
  });

  it('keeps every optional field, normalised', () => {
    const result = validateConsentInput(
      body({
        id: 'A005E4E7-78B3-42B4-CE69-DC68CC5349EB',
        from: 'URN:ALTINN:ORGANIZATION:IDENTIFIER-NO:974760673',
        to: TENANT_URN,
        validTo: '2026-07-07T13:45:00.0000000Z',
        consentRights: right({ metadata: undefined }),
        requestMessage: { nb: 'Hei', nn: 'Hei', en: 'Hi' },
        redirectUrl: 'no.sparebanksuper.app://samtykke',
        requiredDelegator: 'urn:altinn:person:identifier-no:01025161013',
        portalViewMode: 'show',
      }),
      TENANT,
      now,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        id: 'a005e4e7-78b3-42b4-ce69-dc68cc5349eb',
        from: 'urn:altinn:organization:identifier-no:974760673',
        to: TENANT_URN,
        validTo: new Date('2026-07-07T13:45:00Z'),
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
          },
        ],
        requestMessage: { nb: 'Hei', nn: 'Hei', en: 'Hi' },
        redirectUrl: 'no.sparebanksuper.app://samtykke',
        requiredDelegator: 'urn:altinn:person:identifier-no:01025161013',
        portalViewMode: 'Show',
      },
    });
  });

  it.each([
    ['a D-number', 'urn:altinn:person:identifier-no:41018036736'],
    ['an H-number', 'urn:altinn:person:identifier-no:01417199175'],
    ['a fødselsnummer', 'urn:altinn:person:identifier-no:01018036742'],
    ['an organisation', 'urn:altinn:organization:identifier-no:310149942'],
  ])('accepts %s as `from`', (_label, from) => {
    expect(validateConsentInput(body({ from }), TENANT, now)).toMatchObject({ ok: true, value: { from } });
  });

  it.each([
    ['a JSON array', [body()], ''],
    ['no from', body({ from: undefined }), '/from'],
    ['a bare fødselsnummer', body({ from: '03867199348' }), '/from'],
    ['a wrong check digit', body({ from: 'urn:altinn:person:identifier-no:03867199349' }), '/from'],
    [
      'an org number failing MOD11',
      body({ from: 'urn:altinn:organization:identifier-no:313876145' }),
      '/from',
    ],
    ['another organisation as `to`', body({ to: 'urn:altinn:organization:identifier-no:974760673' }), '/to'],
    ['a person as `to`', body({ to: 'urn:altinn:person:identifier-no:03867199348' }), '/to'],
    ['a `to` that is no string', body({ to: 313876144 }), '/to'],
    ['no validTo', body({ validTo: undefined }), '/validTo'],
    ['a validTo without offset', body({ validTo: '2026-07-07T13:45:00' }), '/validTo'],
    ['a date without time', body({ validTo: '2026-07-07' }), '/validTo'],
    ['a day the month does not have', body({ validTo: '2027-02-29T10:00:00Z' }), '/validTo'],
    ['a validTo of now', body({ validTo: '2026-01-15T10:00:00Z' }), '/validTo'],
    ['a validTo in the past', body({ validTo: '2026-01-15T10:59:59+01:00' }), '/validTo'],
    ['no rights', body({ consentRights: [] }), '/consentRights'],
    ['rights that are no list', body({ consentRights: { action: ['consent'] } }), '/consentRights'],
    ['a right without actions', body({ consentRights: right({ action: [] }) }), '/consentRights/0/action'],
    [
      'an action that is no string',
      body({ consentRights: right({ action: [7] }) }),
      '/consentRights/0/action/0',
    ],
    ['an empty action', body({ consentRights: right({ action: [''] }) }), '/consentRights/0/action/0'],
    [
      'a right without resource',
      body({ consentRights: right({ resource: [] }) }),
      '/consentRights/0/resource',
    ],
    [
      'a right with two resources',
      body({
        consentRights: right({
          resource: [
            { type: 'urn:altinn:resource', value: 'a' },
            { type: 'urn:altinn:resource', value: 'b' },
          ],
        }),
      }),
      '/consentRights/0/resource',
    ],
    [
      'a resource of another type',
      body({ consentRights: right({ resource: [{ type: 'urn:altinn:app', value: 'a' }] }) }),
      '/consentRights/0/resource/0/type',
    ],
    [
      'a resource without value',
      body({ consentRights: right({ resource: [{ type: 'urn:altinn:resource', value: '' }] }) }),
      '/consentRights/0/resource/0/value',
    ],
    [
      'a metadata value that is no string',
      body({ consentRights: right({ metadata: { INNTEKTSAAR: 2024 } }) }),
      '/consentRights/0/metadata/INNTEKTSAAR',
    ],
    [
      'an empty metadata value',
      body({ consentRights: right({ metadata: { INNTEKTSAAR: '' } }) }),
      '/consentRights/0/metadata/INNTEKTSAAR',
    ],
    [
      'an unknown field in a right',
      body({ consentRights: right({ metaData: {} }) }),
      '/consentRights/0/metaData',
    ],
    ['a relative redirect URL', body({ redirectUrl: '/lan/samtykke' }), '/redirectUrl'],
    ['a javascript: redirect URL', body({ redirectUrl: 'javascript:alert(1)' }), '/redirectUrl'],
    ['no redirect URL', body({ redirectUrl: undefined }), '/redirectUrl'],
    ['a message in Swedish', body({ requestMessage: { nb: 'Hei', sv: 'Hej' } }), '/requestMessage/sv'],
    ['a message text that is no string', body({ requestMessage: { nb: 7 } }), '/requestMessage/nb'],
    ['an id that is no UUID', body({ id: '4711' }), '/id'],
    ['a required delegator that is no party', body({ requiredDelegator: 'someone' }), '/requiredDelegator'],
    ['an unknown view mode', body({ portalViewMode: 'Visible' }), '/portalViewMode'],
    [
      'handledBy, which is not an input',
      body({ handledBy: 'urn:altinn:organization:identifier-no:310149942' }),
      '/handledBy',
    ],
    ['a key with a slash', body({ 'a/b~c': 1 }), '/a~1b~0c'],
    ['a NUL in the redirect URL', body({ redirectUrl: 'https://bank.example/\u0000' }), '/redirectUrl'],
    ['a lone surrogate in a message', body({ requestMessage: { nb: 'Hei \ud800' } }), '/requestMessage/nb'],
    [
      'a NUL in an action',
      body({ consentRights: right({ action: ['con\u0000sent'] }) }),
      '/consentRights/0/action/0',
    ],
    [
      'a NUL in a resource value',
      body({ consentRights: right({ resource: [{ type: 'urn:altinn:resource', value: 'a\u0000' }] }) }),
      '/consentRights/0/resource/0/value',
    ],
    [
      'a NUL in a metadata value',
      body({ consentRights: right({ metadata: { INNTEKTSAAR: '2024\u0000' } }) }),
      '/consentRights/0/metadata/INNTEKTSAAR',
    ],
    [
      'a NUL in a metadata key',
      body({ consentRights: right({ metadata: { 'INNTEKTSAAR\u0000': '2024' } }) }),
      '/consentRights/0/metadata/INNTEKTSAAR\u0000',
    ],
    [
      'a lone surrogate in a metadata key',
      body({ consentRights: right({ metadata: { '\udc00': '2024' } }) }),
      '/consentRights/0/metadata/\udc00',
    ],
    [
      'a message longer than its limit',
      body({ requestMessage: { en: 'x'.repeat(LIMIT.requestMessage + 1) } }),
      '/requestMessage/en',
    ],
    [
      'a redirect URL longer than its limit',
      body({ redirectUrl: `https://bank.example/${'x'.repeat(LIMIT.redirectUrl)}` }),
      '/redirectUrl',
    ],
    [
      'an action longer than its limit',
      body({ consentRights: right({ action: ['x'.repeat(LIMIT.action + 1)] }) }),
      '/consentRights/0/action/0',
    ],
    [
      'more actions than the limit',
      body({ consentRights: right({ action: Array(LIMIT.actions + 1).fill('consent') }) }),
      '/consentRights/0/action',
    ],
    [
      'a resource value longer than its limit',
      body({
        consentRights: right({
          resource: [{ type: 'urn:altinn:resource', value: 'x'.repeat(LIMIT.resourceValue + 1) }],
        }),
      }),
      '/consentRights/0/resource/0/value',
    ],
    [
      'a metadata value longer than its limit',
      body({ consentRights: right({ metadata: { INNTEKTSAAR: '2'.repeat(LIMIT.metadataValue + 1) } }) }),
      '/consentRights/0/metadata/INNTEKTSAAR',
    ],
    [
      'a metadata key longer than its limit',
      body({ consentRights: right({ metadata: { ['K'.repeat(LIMIT.metadataKey + 1)]: '1' } }) }),
      `/consentRights/0/metadata/${'K'.repeat(64)}…`,
    ],
    [
      'more metadata keys than the limit',
      body({
        consentRights: right({
          metadata: Object.fromEntries(
            Array.from({ length: LIMIT.metadataKeys + 1 }, (_, i) => [`K${i}`, '1']),
          ),
        }),
      }),
      '/consentRights/0/metadata',
    ],
    [
      'more rights than the limit',
      body({ consentRights: Array(LIMIT.rights + 1).fill(right({})[0]) }),
      '/consentRights',
    ],
    ['a from longer than its limit', body({ from: `urn:${'x'.repeat(LIMIT.partyUrn)}` }), '/from'],
    ['a to longer than its limit', body({ to: `urn:${'x'.repeat(LIMIT.partyUrn)}` }), '/to'],
    ['a long unknown field, cut in the pointer', body({ ['u'.repeat(200)]: 1 }), `/${'u'.repeat(64)}…`],
  ])('refuses %s at pointer "%s"', (_label, input, pointer) => {
    const result = validateConsentInput(input, TENANT, now);
    expect(result).toEqual({ ok: false, errors: [{ pointer, detail: expect.any(String) }] });
  });

  it('reports every bad field at once', () => {
    const result = validateConsentInput(
      {
        from: 'x',
        to: 'urn:altinn:organization:identifier-no:974760673',
        validTo: '2020-01-01T00:00:00Z',
        consentRights: [{}],
      },
      TENANT,
      now,
    );
    expect(result.ok ? [] : result.errors).toEqual([
      { pointer: '/from', detail: expect.stringContaining('must be urn:altinn:person') },
      { pointer: '/consentRights/0/action', detail: 'is required' },
      { pointer: '/consentRights/0/resource', detail: 'is required' },
      { pointer: '/redirectUrl', detail: 'is required' },
      { pointer: '/to', detail: `must be the tenant's own organisation, ${TENANT_URN}, or left out` },
      { pointer: '/validTo', detail: 'must be in the future' },
    ]);
  });

  it('accepts every field at its limit', () => {
    const result = validateConsentInput(
      body({
        consentRights: Array(LIMIT.rights).fill(
          right({
            action: Array(LIMIT.actions).fill('c'.repeat(LIMIT.action)),
            resource: [{ type: 'urn:altinn:resource', value: 'r'.repeat(LIMIT.resourceValue) }],
            metadata: Object.fromEntries(
              Array.from({ length: LIMIT.metadataKeys }, (_, i) => [
                `${i}`.padEnd(LIMIT.metadataKey, 'K'),
                'v'.repeat(LIMIT.metadataValue),
              ]),
            ),
          })[0],
        ),
        requestMessage: { nb: 'n'.repeat(LIMIT.requestMessage), en: 'e'.repeat(LIMIT.requestMessage) },
        redirectUrl: `https://bank.example/${'p'.repeat(LIMIT.redirectUrl - 21)}`,
      }),
      TENANT,
      now,
    );
    expect(result.ok).toBe(true);
  });

  it('names every NUL and lone surrogate of the body at once', () => {
    const result = validateConsentInput(
      body({ redirectUrl: '\u0000', requestMessage: { nb: '\ud800', en: '\u0000' } }),
      TENANT,
      now,
    );
    expect(result.ok ? [] : result.errors.map((error) => error.pointer).sort()).toEqual([
      '/redirectUrl',
      '/requestMessage/en',
      '/requestMessage/nb',
    ]);
  });

  it('answers a body of many bad items with a bounded list', () => {
    const metadata = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`K${i}`, 1]));
    const result = validateConsentInput(body({ consentRights: right({ metadata }) }), TENANT, now);
    expect(result.ok ? [] : result.errors.length).toBeLessThanOrEqual(50);
  });

  it('never repeats a refused identifier in its detail', () => {
    const result = validateConsentInput(
      body({ from: 'urn:altinn:person:identifier-no:03867199349' }),
      TENANT,
      now,
    );
    expect(JSON.stringify(result)).not.toContain('03867199349');
  });
});

describe('isAbsoluteRedirectUrl', () => {
  it.each([
    ['https://bank.example/done?id=1', true],
    ['http://localhost:8080/cb', true],
    ['no.sparebanksuper.app://samtykke', true],
    ['bankapp:done', true],
    ['/relative', false],
    ['bank.example/done', false],
    ['https://', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAbsoluteRedirectUrl(url)).toBe(expected);
  });
});
