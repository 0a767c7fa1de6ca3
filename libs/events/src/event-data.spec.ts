import { eventData, eventDataSchema, type OutboxEvent } from './event-data';

const CONSENT_ID = '0195f1a0-0000-7000-8000-000000000001';
const ORG = '313876144';

const stored = (type: string, data: Record<string, unknown>, consentRequestId: string | null = CONSENT_ID) =>
  ({ type, consentRequestId, data }) satisfies Pick<OutboxEvent, 'type' | 'consentRequestId' | 'data'>;

describe('eventData', () => {
  it.each([
    [
      'consent.created with its view URI',
      stored('consent.created', { status: 'created', viewUri: 'https://altinn.example/consent/1' }),
      { status: 'created', viewUri: 'https://altinn.example/consent/1' },
    ],
    ['consent.accepted', stored('consent.accepted', { status: 'accepted' }), { status: 'accepted' }],
    [
      'consent.failed with its problem code',
      stored('consent.failed', { status: 'failed', reason: 'altinn.invalid_request' }),
      { status: 'failed', reason: 'altinn.invalid_request' },
    ],
    [
      'delegation.failed with the scope and the refusal',
      stored(
        'delegation.failed',
        {
          scope: 'altinn:consentrequests.write',
          error: { code: 'MP-251', message: 'not delegated', checkedAt: '2026-12-01T10:00:00.000Z' },
        },
        null,
      ),
      {
        consentRequestId: null,
        status: null,
        scope: 'altinn:consentrequests.write',
        error: { code: 'MP-251', message: 'not delegated' },
      },
    ],
    [
      'webhook_endpoint.disabled with the endpoint and why',
      stored('webhook_endpoint.disabled', { status: 'disabled', endpointId: 'e1', reason: 'gone' }, null),
      { consentRequestId: null, status: 'disabled', endpointId: 'e1', reason: 'gone' },
    ],
  ])('picks the fields of %s', (_case, event, expected) => {
    const data = eventData(event, ORG);
    expect(data).toEqual({ consentRequestId: CONSENT_ID, tenantOrg: ORG, ...expected });
    expect(eventDataSchema.strict().parse(data)).toEqual(data);
  });

  it('copies nothing it does not name, so no fødselsnummer or upstream detail leaves', () => {
    const data = eventData(
      stored('consent.accepted', {
        status: 'accepted',
        from: 'urn:altinn:person:identifier-no:03867199348',
        upstream: { secret: 'x' },
      }),
      ORG,
    );
    expect(data).toEqual({ consentRequestId: CONSENT_ID, status: 'accepted', tenantOrg: ORG });
  });

  it('gives a null status and no optional fields when the stored data has none of them', () => {
    expect(eventData(stored('consent.used', {}), ORG)).toEqual({
      consentRequestId: CONSENT_ID,
      status: null,
      tenantOrg: ORG,
    });
  });

  it('ignores fields of the wrong type or on events they do not belong to', () => {
    const data = eventData(
      stored('delegation.verified', { status: 7, viewUri: 'https://x', endpointId: 'e1', error: 'no' }, null),
      ORG,
    );
    expect(data).toEqual({ consentRequestId: null, status: null, tenantOrg: ORG });
  });
});
