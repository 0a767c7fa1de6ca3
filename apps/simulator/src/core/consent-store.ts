import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SimClock } from './sim-clock';

export type SimConsentStatus = 'Created' | 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted';
export type SimConsentEventType =
  'Created' | 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted' | 'Expired' | 'Used';

export interface SimConsentRight {
  action: string[];
  resource: { type: string; value: string }[];
  metadata: Record<string, string> | null;
}

export interface SimConsentEvent {
  consentEventID: string;
  created: Date;
  performedBy: string;
  eventType: SimConsentEventType;
  consentRequestID: string;
}

/** A consent request as Altinn keeps it. Parties are URNs exactly as created. */
export interface SimConsent {
  id: string;
  from: string;
  to: string;
  requiredDelegator: string | null;
  handledBy: string | null;
  validTo: Date;
  consentRights: SimConsentRight[];
  requestMessage: Record<string, string> | null;
  status: SimConsentStatus;
  consented: Date | null;
  redirectUrl: string;
  portalViewMode: 'Hide' | 'Show';
  templateId: string;
  oneTime: boolean;
  events: SimConsentEvent[];
}

export type PersonAction = 'accept' | 'reject' | 'revoke';

export type PersonActionResult =
  | { ok: true; consent: SimConsent }
  | { ok: false; reason: 'not_found' | 'invalid_state'; status?: SimConsentStatus };

const ACTION_RULES: Record<PersonAction, { from: SimConsentStatus; to: SimConsentStatus }> = {
  // upstream-contract §2: Created → Accepted | Rejected; Accepted → Revoked.
  accept: { from: 'Created', to: 'Accepted' },
  reject: { from: 'Created', to: 'Rejected' },
  revoke: { from: 'Accepted', to: 'Revoked' },
};

/** Altinn's consent requests, shared by the Altinn API (create/get/feed) and Maskinporten (consent tokens). */
@Injectable()
export class ConsentStore {
  private readonly consents = new Map<string, SimConsent>();

  constructor(private readonly clock: SimClock) {}

  get(id: string): SimConsent | undefined {
    return this.consents.get(id.toLowerCase());
  }

  insert(consent: Omit<SimConsent, 'events' | 'status' | 'consented'>, performedBy: string): SimConsent {
    const stored: SimConsent = {
      ...consent,
      id: consent.id.toLowerCase(),
      status: 'Created',
      consented: null,
      events: [],
    };
    this.appendEvent(stored, 'Created', performedBy);
    this.consents.set(stored.id, stored);
    return stored;
  }

  /** The person acts in Altinn's UI; only the transitions of the lifecycle are allowed. */
  act(id: string, action: PersonAction, performedBy?: string): PersonActionResult {
    const consent = this.get(id);
    if (!consent) return { ok: false, reason: 'not_found' };
    const rule = ACTION_RULES[action];
    if (consent.status !== rule.from) return { ok: false, reason: 'invalid_state', status: consent.status };
    consent.status = rule.to;
    if (rule.to === 'Accepted') consent.consented = this.clock.now();
    this.appendEvent(consent, rule.to, performedBy ?? consent.from);
    return { ok: true, consent };
  }

  all(): IterableIterator<SimConsent> {
    return this.consents.values();
  }

  clear(): void {
    this.consents.clear();
  }

  private appendEvent(consent: SimConsent, eventType: SimConsentEventType, performedBy: string): void {
    consent.events.push({
      consentEventID: randomUUID(),
      created: this.clock.now(),
      performedBy,
      eventType,
      consentRequestID: consent.id,
    });
  }
}
