import { createHash } from 'node:crypto';
import { type SimConsent, type SimConsentEvent } from '../../core/consent-store';
import { formatDateTimeOffset } from '../../core/date-time-offset';

export { formatDateTimeOffset };

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * docs/upstream-contract.md §2: `https://am.ui.<host>/accessmanagement/ui/consent/request?id=<id>`. Altinn's
 * host is its environment's (`tt02.altinn.no` for `platform.tt02.altinn.no`); the simulator uses its base
 * URL's host name without a leading `platform.` (so `am.ui.127.0.0.1` in tests, `am.ui.localhost` locally).
 */
export function viewUriFor(baseUrl: string, id: string): string {
  const host = new URL(baseUrl).hostname.replace(/^platform\./, '');
  return `https://am.ui.${host}/accessmanagement/ui/consent/request?id=${id}`;
}

function renderEvent(event: SimConsentEvent) {
  return {
    consentEventID: event.consentEventID,
    created: formatDateTimeOffset(event.created),
    performedBy: event.performedBy,
    eventType: event.eventType,
    consentRequestID: event.consentRequestID,
  };
}

/**
 * docs/upstream-contract.md §2: expiry is never stored; past `validTo` Altinn appends an `Expired` event with
 * zero ids, created at `validTo`, performed by `to`, unless one exists already. It never reaches the feed.
 */
export function eventsWithExpiry(consent: SimConsent, now: Date): SimConsentEvent[] {
  const expired =
    consent.validTo.getTime() < now.getTime() &&
    !consent.events.some((event) => event.eventType === 'Expired');
  if (!expired) return consent.events;
  return [
    ...consent.events,
    {
      consentEventID: ZERO_UUID,
      created: consent.validTo,
      performedBy: consent.to,
      eventType: 'Expired',
      consentRequestID: ZERO_UUID,
    },
  ];
}

/** The details of a consent request, as 201 and GET answer them (ConsentRequestDetailsDto). */
export function renderConsentDetails(consent: SimConsent, now: Date, viewUri: string) {
  return {
    id: consent.id,
    from: consent.from,
    to: consent.to,
    requiredDelegator: consent.requiredDelegator,
    handledBy: consent.handledBy,
    validTo: formatDateTimeOffset(consent.validTo),
    consentRights: consent.consentRights.map((right) => ({
      action: right.action,
      resource: right.resource.map(({ type, value }) => ({ type, value })),
      metadata: right.metadata,
    })),
    requestMessage: consent.requestMessage,
    status: consent.status,
    consented: consent.consented ? formatDateTimeOffset(consent.consented) : null,
    redirectUrl: consent.redirectUrl,
    consentRequestEvents: eventsWithExpiry(consent, now).map(renderEvent),
    viewUri,
    portalViewMode: consent.portalViewMode,
  };
}

/** Altinn's internal party id for a register identifier; the simulator derives a stable UUID from it. */
export function partyUuidUrn(urn: string): string {
  const hex = createHash('sha256').update(`sim-party:${urn}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `urn:altinn:party:uuid:${uuid}`;
}

/**
 * What Altinn answers a repeated create with (200): its internal ConsentRequestDetails, not the DTO —
 * `consentRequestStatus` instead of `status`, `templateId`/`templateVersion`, resource versions, and
 * events whose `performedBy` is an internal party UUID. docs/upstream-contract.md §2: do not trust this body;
 * GET the consent instead.
 */
export function renderStoredConsentRequest(consent: SimConsent, viewUri: string) {
  return {
    id: consent.id,
    from: consent.from,
    requiredDelegator: consent.requiredDelegator,
    to: consent.to,
    handledBy: consent.handledBy,
    validTo: formatDateTimeOffset(consent.validTo),
    consentRights: consent.consentRights.map((right) => ({
      action: right.action,
      resource: right.resource.map(({ type, value }) => ({ type, value, version: '1' })),
      metadata: right.metadata,
    })),
    requestMessage: consent.requestMessage,
    consentRequestStatus: consent.status,
    consented: consent.consented ? formatDateTimeOffset(consent.consented) : null,
    consentRequestEvents: consent.events.map((event) => ({
      ...renderEvent(event),
      performedBy: partyUuidUrn(event.performedBy),
    })),
    redirectUrl: consent.redirectUrl,
    viewUri,
    templateId: consent.templateId,
    templateVersion: 1,
    portalViewMode: consent.portalViewMode,
  };
}
