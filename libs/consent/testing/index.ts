import { type AuditDetails, type Caller } from '@gw/audit';
import { type FakeAuditService } from '@gw/audit/testing';
import { type FakeDataSource, InMemoryTable } from '@gw/persistence/testing';
import { type TenantId } from '@gw/tenants';
import { type ConsentRequest } from '../src/consent-request';
import {
  type ConsentRepository,
  type IdempotencyRecord,
  type InsertOutcome,
  type ListFilter,
  type NewConsentRequest,
} from '../src/consent.repository';
import { type SubmissionExpectation, type SubmissionSignals } from '../src/submission-signals';

interface StoredKey {
  tenantId: TenantId;
  key: string;
  fingerprint: string;
  consentId: string;
}

/**
 * `consent_requests`, `idempotency_keys` and the requests' `consent.pending` events in memory, with the
 * real repository's idempotency rules: a key is the tenant's; the same key with the same fingerprint
 * answers the first request, with another fingerprint is a mismatch, and a key whose first request is
 * still running (`holdKey`) is in flight. The creation's audit record goes to the fake audit log, as the
 * real insert writes it in its own statement.
 */
export class FakeConsentRepository implements Pick<
  ConsentRepository,
  'insertPending' | 'deletePending' | 'find' | 'list'
> {
  private readonly consents = new InMemoryTable<ConsentRequest>();
  private readonly keys = new InMemoryTable<StoredKey>();
  /** consent id → the types of the events written for it. */
  private readonly events = new InMemoryTable<string[]>();
  private readonly held = new Set<string>();

  constructor(
    db: FakeDataSource,
    private readonly audit: FakeAuditService,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.register(this.consents);
    db.register(this.keys);
    db.register(this.events);
  }

  /** Every stored request of every tenant. */
  get stored(): ConsentRequest[] {
    return this.consents.values();
  }

  /** The events written for a request. */
  eventsOf(consentId: string): string[] {
    return this.events.get(consentId) ?? [];
  }

  /** A concurrent request holds the key's lock until `release` is called. */
  holdKey(tenantId: TenantId, key: string): () => void {
    const lock = `${tenantId}:${key}`;
    this.held.add(lock);
    return () => this.held.delete(lock);
  }

  /** Moves a request on, as the worker's status tracking would. */
  change(id: string, changes: Partial<ConsentRequest>): ConsentRequest {
    const consent = this.consents.get(id);
    if (!consent) throw new Error(`no consent request ${id}`);
    const changed = { ...consent, ...changes, version: consent.version + 1, updatedAt: this.now() };
    this.consents.set(id, changed);
    return changed;
  }

  async insertPending(
    consent: NewConsentRequest,
    idempotency?: IdempotencyRecord,
    audit?: { caller: Caller; details: AuditDetails },
  ): Promise<InsertOutcome> {
    if (idempotency) {
      if (this.held.has(`${consent.tenantId}:${idempotency.key}`)) return { kind: 'key_in_flight' };
      const earlier = this.keys.get(`${consent.tenantId}:${idempotency.key}`);
      if (earlier) {
        if (earlier.fingerprint !== idempotency.fingerprint) return { kind: 'key_mismatch' };
        const replayed = await this.find(consent.tenantId, earlier.consentId);
        if (replayed) return { kind: 'replay', consent: replayed };
      }
    }
    if (this.consents.get(consent.id)) return { kind: 'duplicate_id' };
    const at = this.now();
    const stored: ConsentRequest = {
      ...consent,
      status: 'pending',
      viewUri: null,
      consentedAt: null,
      upstream: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    this.consents.set(stored.id, stored);
    this.events.set(stored.id, ['consent.pending']);
    if (idempotency) {
      this.keys.set(`${consent.tenantId}:${idempotency.key}`, {
        tenantId: consent.tenantId,
        ...idempotency,
        consentId: stored.id,
      });
    }
    if (audit) {
      await this.audit.record(audit.caller, {
        tenantId: consent.tenantId,
        action: 'consent_request.created',
        target: `consent_request:${stored.id}`,
        details: audit.details,
      });
    }
    return { kind: 'inserted', consent: stored };
  }

  deletePending(tenantId: TenantId, id: string): Promise<void> {
    const consent = this.consents.get(id);
    if (consent?.tenantId === tenantId && consent.status === 'pending') {
      this.consents.delete(id);
      this.events.delete(id);
      for (const key of this.keys.values()) {
        if (key.tenantId === tenantId && key.consentId === id) this.keys.delete(`${tenantId}:${key.key}`);
      }
    }
    return Promise.resolve();
  }

  find(tenantId: TenantId, id: string): Promise<ConsentRequest | undefined> {
    const consent = this.consents.get(id);
    return Promise.resolve(consent?.tenantId === tenantId ? consent : undefined);
  }

  list(tenantId: TenantId, filter: ListFilter): Promise<ConsentRequest[]> {
    const position = (consent: ConsentRequest) => `${consent.updatedAt.toISOString()}|${consent.id}`;
    const after = filter.after && `${new Date(filter.after.updatedAt).toISOString()}|${filter.after.id}`;
    const rows = this.stored
      .filter(
        (consent) =>
          consent.tenantId === tenantId &&
          (filter.status === undefined || consent.status === filter.status) &&
          (filter.updatedAfter === undefined || consent.updatedAt > filter.updatedAfter) &&
          (after === undefined || position(consent) > after),
      )
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .slice(0, filter.limit + 1);
    return Promise.resolve(rows);
  }

  asConsentRepository(): ConsentRepository {
    return this as unknown as ConsentRepository;
  }
}

/**
 * Announcements in memory, with the real one's rule: only an interest registered before the announcement
 * hears it. `announced` lists every announced consent id in order.
 */
export class FakeSubmissionSignals implements Pick<SubmissionSignals, 'announce' | 'expect'> {
  readonly announced: string[] = [];
  private readonly waiting = new Map<string, Set<() => void>>();

  announce(consentId: string): Promise<void> {
    this.announced.push(consentId);
    for (const listener of this.waiting.get(consentId) ?? []) listener();
    return Promise.resolve();
  }

  expect(consentId: string): Promise<SubmissionExpectation> {
    let heard = false;
    let wake: (() => void) | undefined;
    const listener = () => {
      heard = true;
      wake?.();
    };
    const listeners = this.waiting.get(consentId) ?? new Set<() => void>();
    listeners.add(listener);
    this.waiting.set(consentId, listeners);
    const forget = () => listeners.delete(listener);
    return Promise.resolve({
      settled: async (timeoutMs: number) => {
        if (!heard) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, timeoutMs).unref();
          });
        }
        forget();
        return heard;
      },
      cancel: forget,
    });
  }

  asSubmissionSignals(): SubmissionSignals {
    return this as unknown as SubmissionSignals;
  }
}
