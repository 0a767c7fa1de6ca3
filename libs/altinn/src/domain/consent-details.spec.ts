import { parseConsentDetails } from './consent-details';

const ID = '0198a6e4-4b53-7c3a-9a1e-1f2d3c4b5a69';

function details(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    from: 'urn:altinn:person:identifier-no:03867199348',
    to: 'urn:altinn:organization:identifier-no:313876144',
    requiredDelegator: null,
    handledBy: 'urn:altinn:organization:identifier-no:310149942',
    validTo: '2026-07-07T13:45:00+00:00',
    consentRights: [
      {
        action: ['consent'],
        resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
        metadata: { INNTEKTSAAR: '2024' },
      },
    ],
    requestMessage: { nb: 'Hei' },
    status: 'Created',
    consented: null,
    redirectUrl: 'https://bank.example/done',
    consentRequestEvents: [
      {
        consentEventID: '0198a6e4-4b53-7c3a-9a1e-000000000001',
        created: '2026-01-15T10:00:00.1234567+00:00',
        performedBy: 'urn:altinn:organization:identifier-no:313876144',
        eventType: 'Created',
        consentRequestID: ID,
      },
    ],
    viewUri: `https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=${ID}`,
    portalViewMode: 'Hide',
    ...changes,
  };
}

describe('parseConsentDetails', () => {
  it('reads the details Altinn answers, enums lower-cased and dates as dates', () => {
    expect(parseConsentDetails(details())).toEqual({
      id: ID,
      from: 'urn:altinn:person:identifier-no:03867199348',
      to: 'urn:altinn:organization:identifier-no:313876144',
      requiredDelegator: null,
      handledBy: 'urn:altinn:organization:identifier-no:310149942',
      validTo: new Date('2026-07-07T13:45:00Z'),
      consentRights: [
        {
          action: ['consent'],
          resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
          metadata: { INNTEKTSAAR: '2024' },
        },
      ],
      requestMessage: { nb: 'Hei' },
      status: 'created',
      consented: null,
      redirectUrl: 'https://bank.example/done',
      portalViewMode: 'hide',
      events: [
        {
          consentEventId: '0198a6e4-4b53-7c3a-9a1e-000000000001',
          created: new Date('2026-01-15T10:00:00.123Z'),
          performedBy: 'urn:altinn:organization:identifier-no:313876144',
          eventType: 'created',
          consentRequestId: ID,
        },
      ],
      viewUri: `https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=${ID}`,
    });
  });

  it.each([
    ['Accepted', 'accepted'],
    ['ACCEPTED', 'accepted'],
    ['revoked', 'revoked'],
    ['Rejected', 'rejected'],
    ['Deleted', 'deleted'],
  ])('reads status %s as %s', (status, expected) => {
    expect(parseConsentDetails(details({ status }))?.status).toBe(expected);
  });

  it.each([
    ['Expired', 'expired'],
    ['used', 'used'],
    ['SomethingNew', 'unknown'],
  ])('reads event type %s as %s', (eventType, expected) => {
    const event = { ...(details().consentRequestEvents as object[])[0], eventType };
    expect(parseConsentDetails(details({ consentRequestEvents: [event] }))?.events[0].eventType).toBe(
      expected,
    );
  });

  it('ignores extra members, reads member names in any case and metaData as metadata', () => {
    const parsed = parseConsentDetails({
      ...details({ consentRights: undefined, status: undefined, consented: undefined }),
      Status: 'Accepted',
      Consented: '2026-01-15T10:05:00+00:00',
      ConsentRights: [
        { Action: ['consent'], Resource: [{ Type: 'urn:altinn:resource', Value: 'r' }], metaData: null },
      ],
      templateId: 'default_v1',
      somethingNew: { nested: true },
    });
    expect(parsed).toMatchObject({
      status: 'accepted',
      consented: new Date('2026-01-15T10:05:00Z'),
      consentRights: [
        { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'r' }], metadata: null },
      ],
    });
    expect(parsed).not.toHaveProperty('templateId');
  });

  it('falls back to null for optional members it cannot read', () => {
    expect(
      parseConsentDetails(
        details({
          portalViewMode: 'Sometimes',
          consented: 'not a date',
          requestMessage: 7,
          consentRequestEvents: undefined,
        }),
      ),
    ).toMatchObject({ portalViewMode: null, consented: null, requestMessage: null, events: [] });
  });

  it.each([
    [
      'the 200 shape of a repeated create',
      { ...details({ status: undefined }), consentRequestStatus: 'Created' },
    ],
    ['an unknown status', details({ status: 'Paused' })],
    ['no viewUri', details({ viewUri: undefined })],
    ['a validTo that is no date', details({ validTo: 'tomorrow' })],
    ['no body', undefined],
  ])('refuses %s', (_label, body) => {
    expect(parseConsentDetails(body)).toBeUndefined();
  });
});
