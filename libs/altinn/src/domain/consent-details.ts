import { z } from 'zod';
import { caseInsensitiveEnum, caseInsensitiveObject, dateTime } from './tolerant-read';

/** docs/upstream-contract.md §2: the statuses a consent request's details carry, lower-cased. */
export const ALTINN_CONSENT_STATUSES = ['created', 'accepted', 'rejected', 'revoked', 'deleted'] as const;
export type AltinnConsentStatus = (typeof ALTINN_CONSENT_STATUSES)[number];

/** docs/upstream-contract.md §2: the event types of details and feed, lower-cased. */
export const ALTINN_EVENT_TYPES = [
  'created',
  'accepted',
  'rejected',
  'revoked',
  'deleted',
  'expired',
  'used',
] as const;
/** An event type Altinn may add later reads as `unknown`, so one new value does not stall the feed. */
export type AltinnEventType = (typeof ALTINN_EVENT_TYPES)[number] | 'unknown';

export interface AltinnConsentRight {
  action: string[];
  resource: { type: string; value: string }[];
  metadata: Record<string, string> | null;
}

export interface AltinnConsentEvent {
  consentEventId: string;
  created: Date;
  /** A party URN (the consumer for Created, the person for Accepted…). */
  performedBy: string | null;
  eventType: AltinnEventType;
  /** Zero GUID on the synthetic Expired event Altinn appends past `validTo`. */
  consentRequestId: string;
}

/** A consent request as 201 and GET answer it (ConsentRequestDetailsDto), read tolerantly. */
export interface AltinnConsentRequestDetails {
  id: string;
  from: string;
  to: string;
  requiredDelegator: string | null;
  handledBy: string | null;
  validTo: Date;
  consentRights: AltinnConsentRight[];
  requestMessage: Record<string, string> | null;
  /** Altinn never stores expiry: past `validTo` this still says created/accepted (see `events`). */
  status: AltinnConsentStatus;
  consented: Date | null;
  redirectUrl: string | null;
  portalViewMode: 'hide' | 'show' | null;
  events: AltinnConsentEvent[];
  /** Where the person decides: `https://am.ui.<host>/accessmanagement/ui/consent/request?id=<id>`. */
  viewUri: string;
}

/** Any event type, the unknown ones as `unknown`. */
export const eventType = z.string().transform((value): AltinnEventType => {
  const lower = value.toLowerCase();
  return (ALTINN_EVENT_TYPES as readonly string[]).includes(lower) ? (lower as AltinnEventType) : 'unknown';
});

const stringRecord = z.record(z.string(), z.string());

const rightSchema = caseInsensitiveObject({
  action: z.array(z.string()),
  resource: z.array(caseInsensitiveObject({ type: z.string(), value: z.string() })),
  metadata: stringRecord.nullish().transform((metadata) => metadata ?? null),
});

const eventSchema = caseInsensitiveObject({
  consentEventId: z.string(),
  created: dateTime,
  performedBy: z.string().nullish().catch(null),
  eventType,
  consentRequestId: z.string(),
});

// Members the gateway cannot work without fail the parse; the others fall back to null when odd.
const detailsSchema = caseInsensitiveObject({
  id: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  requiredDelegator: z.string().nullish().catch(null),
  handledBy: z.string().nullish().catch(null),
  validTo: dateTime,
  consentRights: z.array(rightSchema),
  requestMessage: stringRecord.nullish().catch(null),
  status: caseInsensitiveEnum(ALTINN_CONSENT_STATUSES),
  consented: dateTime.nullish().catch(null),
  redirectUrl: z.string().nullish().catch(null),
  portalViewMode: caseInsensitiveEnum(['hide', 'show']).nullish().catch(null),
  consentRequestEvents: z.array(eventSchema).nullish().catch(null),
  viewUri: z.string().min(1),
});

/** The details in a 201/GET body; undefined when the body is not such details. */
export function parseConsentDetails(body: unknown): AltinnConsentRequestDetails | undefined {
  const parsed = detailsSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { consentRequestEvents, ...details } = parsed.data;
  return {
    ...details,
    requiredDelegator: details.requiredDelegator ?? null,
    handledBy: details.handledBy ?? null,
    requestMessage: details.requestMessage ?? null,
    consented: details.consented ?? null,
    redirectUrl: details.redirectUrl ?? null,
    portalViewMode: details.portalViewMode ?? null,
    events: (consentRequestEvents ?? []).map((event) => ({
      ...event,
      performedBy: event.performedBy ?? null,
    })),
  };
}
