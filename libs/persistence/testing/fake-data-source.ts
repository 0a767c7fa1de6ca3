import { type DataSource, type EntityManager } from 'typeorm';

/** State a fake repository keeps; a transaction that throws puts it back as it was. */
export interface TransactionalState {
  /** Remembers the state now; the returned function restores it. */
  snapshot(): () => void;
}

/**
 * Rows by key, for fake repositories. Rows are replaced, never changed in place, so a snapshot is a
 * copy of the map and a rollback is exact.
 */
export class InMemoryTable<Row> implements TransactionalState {
  private rows = new Map<string, Row>();

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  set(key: string, row: Row): void {
    this.rows.set(key, row);
  }

  delete(key: string): boolean {
    return this.rows.delete(key);
  }

  values(): Row[] {
    return [...this.rows.values()];
  }

  snapshot(): () => void {
    const saved = new Map(this.rows);
    return () => {
      this.rows = saved;
    };
  }
}

/**
 * `DataSource.transaction` for services under unit test: the state of every registered fake commits
 * when the work resolves and is put back when it throws, as Postgres would. Each transaction hands out
 * its own manager, which fakes check with {@link FakeDataSource.assertOpen} so a write outside the
 * transaction it belongs to fails as it would against a released query runner.
 */
export class FakeDataSource {
  private readonly states: TransactionalState[] = [];
  private readonly open = new Set<object>();
  committed = 0;
  rolledBack = 0;
  /** Set to make the next commit fail (the connection drops at COMMIT): the work is rolled back. */
  failNextCommit?: Error;

  /** The manager outside any transaction: each statement commits on its own. */
  readonly manager = { transaction: 'none' } as unknown as EntityManager;

  register<State extends TransactionalState>(state: State): State {
    this.states.push(state);
    return state;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const restores = this.states.map((state) => state.snapshot());
    const manager = { transaction: this.committed + this.rolledBack + 1 } as unknown as EntityManager;
    this.open.add(manager);
    try {
      const result = await work(manager);
      const failure = this.failNextCommit;
      this.failNextCommit = undefined;
      if (failure) throw failure;
      this.committed += 1;
      return result;
    } catch (error) {
      for (const restore of restores.reverse()) restore();
      this.rolledBack += 1;
      throw error;
    } finally {
      this.open.delete(manager);
    }
  }

  /** Throws unless `manager` is this data source's own manager or that of a transaction still open. */
  assertOpen(manager: EntityManager | undefined): void {
    if (manager === undefined || manager === this.manager || this.open.has(manager)) return;
    throw new Error('query on a transaction that has ended, or on another data source');
  }

  /** Typed as what services take; only `transaction` and `manager` exist. */
  asDataSource(): DataSource {
    return this as unknown as DataSource;
  }
}

/** `work`'s value as a promise, or its throw as a rejection: an in-memory fake answering like a query. */
export function settled<T>(work: () => T): Promise<T> {
  // A throw inside the executor rejects the promise.
  return new Promise((resolve) => resolve(work()));
}
