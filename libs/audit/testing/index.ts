import { type EntityManager } from 'typeorm';
import { type FakeDataSource, InMemoryTable, settled } from '@gw/persistence/testing';
import { type AuditEntry, type AuditService, type Caller } from '@gw/audit';

/** One audit record as a test reads it: who, what, to what, and the facts. */
export interface RecordedAudit {
  actor: string;
  requestId: string | null;
  tenantId: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/**
 * The append-only audit log in memory. A record written with a transaction's manager vanishes with
 * that transaction, as the real insert does; `failNext` makes the next write fail, to prove that the
 * action it belongs to is not left behind without its record.
 */
export class FakeAuditService implements Pick<AuditService, 'record' | 'recordOnce'> {
  private readonly log = new InMemoryTable<RecordedAudit>();
  private sequence = 0;
  failNext?: Error;

  constructor(private readonly db: FakeDataSource) {
    db.register(this.log);
  }

  /** Every record, oldest first. */
  get records(): RecordedAudit[] {
    return this.log.values();
  }

  /** The actions recorded, oldest first. */
  get actions(): string[] {
    return this.records.map((record) => record.action);
  }

  record(caller: Caller, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    return settled(() => this.write(caller, entry, manager));
  }

  recordOnce(
    caller: Caller,
    entry: AuditEntry & { target: string },
    manager?: EntityManager,
  ): Promise<boolean> {
    const done = this.records.some(
      (record) => record.target === entry.target && record.action === entry.action,
    );
    return settled(() => {
      if (!done) this.write(caller, entry, manager);
      return !done;
    });
  }

  asAuditService(): AuditService {
    return this as unknown as AuditService;
  }

  private write(caller: Caller, entry: AuditEntry, manager: EntityManager | undefined): void {
    this.db.assertOpen(manager);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.sequence += 1;
    this.log.set(String(this.sequence).padStart(10, '0'), {
      actor: caller.actor,
      requestId: caller.requestId ?? null,
      tenantId: entry.tenantId ?? null,
      action: entry.action,
      target: entry.target ?? null,
      details: { ...(entry.details ?? {}) },
    });
  }
}
