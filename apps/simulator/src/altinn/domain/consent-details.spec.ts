import { type SimConsent } from '../../core/consent-store';
import {
  eventsWithExpiry,
  formatDateTimeOffset,
  partyUuidUrn,
  renderConsentDetails,
  renderStoredConsentRequest,
  viewUriFor,
  ZERO_UUID,
} from './consent-details';

const TO = 'urn:altinn:organization:identifier-no:313876144';
const consent: SimConsent = {
  id: '0195f0e4-1c2b-7d3e-8f40-123456789abc',
  from: 'urn:altinn:person:identifier-no:03867199348',
  to: TO,
  requiredDelegator: null,
  handledBy: 'urn:altinn:organization:identifier-no:310149942',
  validTo: new Date('2026-02-01T00:00:00Z'),
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
  portalViewMode: 'Hide',
  templateId: 'default_v1',
  oneTime: false,
  events: [
    {
      consentEventID: '0195f0e4-1c2b-7000-8000-000000000001',
      created: new Date('2026-01-15T10:00:00.120Z'),
      performedBy: TO,
      eventType: 'Created',
      consentRequestID: '0195f0e4-1c2b-7d3e-8f40-123456789abc',
    },
  ],
};

describe('consent details', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', '2026-01-15T10:00:00+00:00'],
    ['2026-01-15T10:00:00.120Z', '2026-01-15T10:00:00.12+00:00'],
    ['2026-01-15T10:00:00.007Z', '2026-01-15T10:00:00.007+00:00'],
  ])('writes %s as .NET writes a UTC DateTimeOffset', (iso, written) => {
    expect(formatDateTimeOffset(new Date(iso))).toBe(written);
  });

  it.each([
    ['http://127.0.0.1:3100', 'https://am.ui.127.0.0.1/accessmanagement/ui/consent/request?id=x'],
    ['http://localhost:3100', 'https://am.ui.localhost/accessmanagement/ui/consent/request?id=x'],
    [
      'https://platform.tt02.altinn.no',
      'https://am.ui.tt02.altinn.no/accessmanagement/ui/consent/request?id=x',
    ],
  ])('points the person at the Altinn UI of %s', (baseUrl, viewUri) => {
    expect(viewUriFor(baseUrl, 'x')).toBe(viewUri);
  });

  it('renders the details Altinn answers on create and GET', () => {
    expect(renderConsentDetails(consent, new Date('2026-01-16T00:00:00Z'), 'view')).toEqual({
      id: consent.id,
      from: consent.from,
      to: TO,
      requiredDelegator: null,
      handledBy: consent.handledBy,
      validTo: '2026-02-01T00:00:00+00:00',
      consentRights: consent.consentRights,
      requestMessage: { nb: 'Hei' },
      status: 'Created',
      consented: null,
      redirectUrl: consent.redirectUrl,
      consentRequestEvents: [
        {
          consentEventID: '0195f0e4-1c2b-7000-8000-000000000001',
          created: '2026-01-15T10:00:00.12+00:00',
          performedBy: TO,
          eventType: 'Created',
          consentRequestID: consent.id,
        },
      ],
      viewUri: 'view',
      portalViewMode: 'Hide',
    });
  });

  it.each([
    ['before validTo', '2026-01-31T23:59:59.999Z', 1],
    ['at validTo', '2026-02-01T00:00:00Z', 1],
    ['after validTo', '2026-02-01T00:00:00.001Z', 2],
  ])('appends a synthetic Expired event only %s', (_case, now, count) => {
    expect(eventsWithExpiry(consent, new Date(now))).toHaveLength(count);
  });

  it('makes the Expired event with zero ids, at validTo, performed by the recipient', () => {
    expect(eventsWithExpiry(consent, new Date('2026-03-01T00:00:00Z'))[1]).toEqual({
      consentEventID: ZERO_UUID,
      created: consent.validTo,
      performedBy: TO,
      eventType: 'Expired',
      consentRequestID: ZERO_UUID,
    });
  });

  it('keeps the status of an expired consent (expiry is never stored)', () => {
    const accepted: SimConsent = {
      ...consent,
      status: 'Accepted',
      consented: new Date('2026-01-15T10:01:00Z'),
    };
    expect(renderConsentDetails(accepted, new Date('2026-03-01T00:00:00Z'), 'view')).toMatchObject({
      status: 'Accepted',
      consented: '2026-01-15T10:01:00+00:00',
    });
  });

  it('answers a repeated create with the stored shape, not the details', () => {
    const stored = renderStoredConsentRequest(consent, 'view');
    expect(stored).toMatchObject({ consentRequestStatus: 'Created', templateId: 'default_v1' });
    expect(stored).not.toHaveProperty('status');
    expect(stored.consentRequestEvents[0].performedBy).toMatch(/^urn:altinn:party:uuid:[0-9a-f-]{36}$/);
  });

  it('derives one stable party UUID per identifier', () => {
    expect(partyUuidUrn(TO)).toBe(partyUuidUrn(TO));
    expect(partyUuidUrn(TO)).not.toBe(partyUuidUrn(consent.from));
  });
});
