import { randomBytes } from 'node:crypto';
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
  // docs/upstream-contract.md §2: Created → Accepted | Rejected; Accepted → Revoked.
  accept: { from: 'Created', to: 'Accepted' },
  reject: { from: 'Created', to: 'Rejected' },
  revoke: { from: 'Accepted', to: 'Revoked' },
};

/**
 * Monotonic UUIDv7 (RFC 9562 §6.2, method 1: a 12-bit counter in rand_a). Altinn's event ids are UUIDv7 and
 * its feed is ordered by them (docs/upstream-contract.md §2 "oldest first"); monotonic ids keep that order
 * even when two events share a millisecond or the simulated clock is moved back, so a cursor never skips an
 * event. The price of moving the clock back: new ids keep the latest time, so their events reach the feed
 * only once the simulated clock has passed that time again.
 */
export class UuidV7Generator {
  private lastMs = -1;
  private counter = 0;

  next(nowMs: number): string {
    if (nowMs > this.lastMs) {
      this.lastMs = nowMs;
      // Start low so many ids fit in one millisecond before the counter overflows.
      this.counter = randomBytes(2).readUInt16BE() & 0x3ff;
    } else if (this.counter >= 0xfff) {
      this.lastMs += 1;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    const bytes = randomBytes(16);
    bytes.writeUIntBE(this.lastMs, 0, 6);
    bytes[6] = 0x70 | (this.counter >> 8);
    bytes[7] = this.counter & 0xff;
    bytes[8] = 0x80 | (bytes[8] & 0x3f);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** The Unix milliseconds in a UUIDv7. */
export function uuidV7Millis(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** Altinn's consent requests, shared by the Altinn API (create/get/feed) and Maskinporten (consent tokens). */
@Injectable()
export class ConsentStore {
  private readonly consents = new Map<string, SimConsent>();
  /**
   * Every stored event per recipient (`to`), in event-id order: what Altinn's feed reads
   * (docs/upstream-contract.md §2).
   */
  private readonly eventsByRecipient = new Map<string, SimConsentEvent[]>();
  private readonly eventIds = new UuidV7Generator();

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

  /** The stored events of consents whose `to` is `recipient`, oldest (lowest event id) first. Read-only. */
  eventsTo(recipient: string): readonly SimConsentEvent[] {
    return this.eventsByRecipient.get(recipient) ?? [];
  }

  clear(): void {
    this.consents.clear();
    this.eventsByRecipient.clear();
  }

  private appendEvent(consent: SimConsent, eventType: SimConsentEventType, performedBy: string): void {
    const now = this.clock.now();
    const event: SimConsentEvent = {
      consentEventID: this.eventIds.next(now.getTime()),
      created: now,
      performedBy,
      eventType,
      consentRequestID: consent.id,
    };
    consent.events.push(event);
    const recipientEvents = this.eventsByRecipient.get(consent.to) ?? [];
    recipientEvents.push(event);
    this.eventsByRecipient.set(consent.to, recipientEvents);
  }
}
