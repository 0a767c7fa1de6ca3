import { type AltinnCreateConsentRequest, createRequestJson } from './create-request';

const minimal: AltinnCreateConsentRequest = {
  id: '0198a6e4-4b53-7c3a-9a1e-1f2d3c4b5a69',
  from: 'urn:altinn:person:identifier-no:03867199348',
  to: 'urn:altinn:organization:identifier-no:313876144',
  validTo: new Date('2026-07-07T13:45:00+02:00'),
  consentRights: [
    { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }] },
  ],
  redirectUrl: 'https://bank.example/done',
};

describe('createRequestJson', () => {
  it('writes exactly the contract members, validTo in UTC, optionals left out', () => {
    expect(JSON.stringify(createRequestJson(minimal))).toBe(
      JSON.stringify({
        id: minimal.id,
        from: minimal.from,
        to: minimal.to,
        validTo: '2026-07-07T11:45:00.000Z',
        consentRights: [
          { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }] },
        ],
        redirectUrl: 'https://bank.example/done',
      }),
    );
  });

  it('writes metadata, message, delegator and view mode when given', () => {
    expect(
      createRequestJson({
        ...minimal,
        consentRights: [{ ...minimal.consentRights[0], metadata: { simpletag: '2026' } }],
        requestMessage: { nb: 'Hei', en: 'Hi' },
        requiredDelegator: 'urn:altinn:person:identifier-no:01025161013',
        portalViewMode: 'Show',
      }),
    ).toEqual({
      ...createRequestJson(minimal),
      consentRights: [
        {
          action: ['consent'],
          resource: [{ type: 'urn:altinn:resource', value: 'enkelt-samtykke' }],
          metadata: { simpletag: '2026' },
        },
      ],
      requestMessage: { nb: 'Hei', en: 'Hi' },
      requiredDelegator: 'urn:altinn:person:identifier-no:01025161013',
      portalViewMode: 'Show',
    });
  });

  it('drops members the caller’s objects carry beyond the contract', () => {
    const sloppy = {
      ...minimal,
      handledBy: 'urn:altinn:organization:identifier-no:310149942',
      tenantId: 't-1',
      consentRights: [
        {
          ...minimal.consentRights[0],
          note: 'x',
          resource: [{ type: 'urn:altinn:resource' as const, value: 'r', version: '1' }],
        },
      ],
      requestMessage: { nb: 'Hei', sv: 'Hej' },
    };
    const json = createRequestJson(sloppy);
    expect(Object.keys(json)).toEqual([
      'id',
      'from',
      'to',
      'validTo',
      'consentRights',
      'requestMessage',
      'redirectUrl',
    ]);
    expect(json.consentRights).toEqual([
      { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'r' }] },
    ]);
    expect(json.requestMessage).toEqual({ nb: 'Hei' });
  });
});
