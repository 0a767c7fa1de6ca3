import { Client } from 'pg';
import { isValidOrgNumber } from '@gw/identifiers';
import { inTransaction, uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { EventsCommittedListener, EventsRepository, type FeedEvent } from '@gw/events';

/** The org number a feed reader's credential carries; the feed only echoes it in each event's data. */
const FEED_ORG = '313876144';
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// The feed's promise against real Postgres: every committed event exactly once, in one order, whatever the
// order in which ids were handed out and transactions committed, and whatever else runs on the cluster.
describe('the event feed and its sequencer', () => {
  let database: TestDatabase;
  let events: EventsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    events = new EventsRepository(database.dataSource);
  });
  afterAll(() => database.drop());

  let nextOrg = 810_000_000;
  const newTenant = async (): Promise<string> => {
    const id = uuidV7();
    do nextOrg += 1;
    while (!isValidOrgNumber(String(nextOrg)));
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name) VALUES ($1, $2, 'Feed test')`,
      [id, String(nextOrg)],
    );
    return id;
  };

  const append = (
    tenantId: string,
    type: 'delegation.verified' | 'delegation.failed' = 'delegation.verified',
  ) => events.append(database.dataSource.manager, { tenantId, type });

  /** Runs the sequencer until nothing is left (as the relay does). */
  const sequenceAll = async (): Promise<number> => {
    let stamped = 0;
    for (;;) {
      const batch = await inTransaction(database.dataSource, (manager) => events.sequence(manager, 1_000));
      if (batch === null) continue;
      stamped += batch.length;
      if (batch.length === 0) return stamped;
    }
  };

  /** A consumer following the cursor from `after` with pages of `limit`. */
  const readAll = async (tenantId: string, after = '0', limit = 97): Promise<FeedEvent[]> => {
    const read: FeedEvent[] = [];
    let cursor = after;
    for (;;) {
      const page = await events.feed({ tenantId, orgNumber: FEED_ORG }, cursor, limit);
      read.push(...page);
      if (page.length < limit) return read;
      cursor = page[page.length - 1].id;
    }
  };

  it('reads every event once, in numeric order, across 9 → 10 → 100 → 1,000 → 10,000', async () => {
    const tenantId = await newTenant();
    await database.dataSource.query(
      `INSERT INTO events (tenant_id, type) SELECT $1, 'delegation.verified' FROM generate_series(1, 10050)`,
      [tenantId],
    );
    expect(await sequenceAll()).toBe(10_050);

    const read = await readAll(tenantId);
    const positions = read.map((event) => BigInt(event.id));
    expect(read).toHaveLength(10_050);
    expect(new Set(read.map((event) => event.id)).size).toBe(10_050);
    for (let i = 1; i < positions.length; i += 1) expect(positions[i] > positions[i - 1]).toBe(true);
    // The pages crossed every digit boundary.
    for (const boundary of ['9', '10', '99', '100', '999', '1000', '9999', '10000']) {
      expect(read.some((event) => event.id === boundary)).toBe(true);
    }
  });

  it('shows nothing before the sequencer has stamped it', async () => {
    const tenantId = await newTenant();
    await append(tenantId);
    expect(await events.feed({ tenantId, orgNumber: FEED_ORG }, '0', 10)).toEqual([]);
    await sequenceAll();
    expect(await events.feed({ tenantId, orgNumber: FEED_ORG }, '0', 10)).toHaveLength(1);
  });

  it('delivers a lower id committed after a higher one to a consumer that already moved past the higher', async () => {
    const tenantId = await newTenant();
    const late = database.dataSource.createQueryRunner();
    await late.connect();
    try {
      await late.startTransaction();
      // The open transaction takes the lower id…
      await late.query(`INSERT INTO events (tenant_id, type) VALUES ($1, 'delegation.verified')`, [tenantId]);
      // …a later one takes a higher id and commits first.
      await append(tenantId, 'delegation.failed');
      await sequenceAll();
      const first = await events.feed({ tenantId, orgNumber: FEED_ORG }, '0', 10);
      expect(first.map((event) => event.type)).toEqual(['delegation.failed']);

      await late.commitTransaction();
      await sequenceAll();
      const next = await events.feed({ tenantId, orgNumber: FEED_ORG }, first[0].id, 10);
      expect(next.map((event) => event.type)).toEqual(['delegation.verified']);
      expect(BigInt(next[0].id) > BigInt(first[0].id)).toBe(true);
    } finally {
      await late.release();
    }
  });

  it('is not held back by an open transaction in another database of the cluster', async () => {
    const tenantId = await newTenant();
    const foreign = new Client({ connectionString: ADMIN_URL });
    await foreign.connect();
    try {
      await foreign.query('BEGIN');
      await foreign.query('SELECT txid_current()');
      await append(tenantId);
      await sequenceAll();
      expect(await events.feed({ tenantId, orgNumber: FEED_ORG }, '0', 10)).toHaveLength(1);
    } finally {
      await foreign.query('ROLLBACK').catch(() => undefined);
      await foreign.end();
    }
  });

  it('is not held back by an open transaction on another table of the same database', async () => {
    const tenantId = await newTenant();
    const other = database.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(`UPDATE tenants SET name = name WHERE id = $1`, [tenantId]);
      await append(tenantId);
      await sequenceAll();
      expect(await events.feed({ tenantId, orgNumber: FEED_ORG }, '0', 10)).toHaveLength(1);
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
  });

  it('lets one sequencer run at a time; the other is told it is busy', async () => {
    const tenantId = await newTenant();
    await append(tenantId);
    const holder = database.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      const held = await events.sequence(holder.manager, 10);
      expect(held).toHaveLength(1);
      expect(await inTransaction(database.dataSource, (manager) => events.sequence(manager, 10))).toBeNull();
      await holder.commitTransaction();
    } finally {
      await holder.release();
    }
    expect(await inTransaction(database.dataSource, (manager) => events.sequence(manager, 10))).toEqual([]);
  });

  it('under concurrent writers and sequencers, every event is stamped once and read once, in order', async () => {
    const tenantId = await newTenant();
    const reader: FeedEvent[] = [];
    let cursor = '0';
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 150; i += 1) await append(tenantId);
    });
    const sequencers = Array.from({ length: 3 }, async () => {
      while (writing) await inTransaction(database.dataSource, (manager) => events.sequence(manager, 7));
    });
    const consumer = (async () => {
      while (writing) {
        const page = await events.feed({ tenantId, orgNumber: FEED_ORG }, cursor, 13);
        reader.push(...page);
        if (page.length > 0) cursor = page[page.length - 1].id;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await Promise.all([...sequencers, consumer]);
    await sequenceAll();
    reader.push(...(await readAll(tenantId, cursor)));

    expect(reader).toHaveLength(600);
    expect(new Set(reader.map((event) => event.id)).size).toBe(600);
    const [{ unstamped }] = await database.dataSource.query<{ unstamped: number }[]>(
      'SELECT count(*)::int AS unstamped FROM events WHERE tenant_id = $1 AND position IS NULL',
      [tenantId],
    );
    expect(unstamped).toBe(0);
  });

  it('announces commits that wrote events to a listener', async () => {
    const listener = new EventsCommittedListener(database.dataSource);
    const tenantId = await newTenant();
    let calls = 0;
    let resolveCommitted: () => void = () => undefined;
    const connectedOnce = new Promise<void>((resolve) => {
      resolveCommitted = resolve;
    });
    listener.subscribe(() => {
      calls += 1;
      resolveCommitted();
    });
    try {
      // The first call is the catch-up after connecting.
      await connectedOnce;
      const before = calls;
      const committed = new Promise<void>((resolve) => {
        listener.subscribe(resolve);
      });
      await append(tenantId);
      await committed;
      expect(calls).toBeGreaterThan(before);
    } finally {
      await listener.onApplicationShutdown();
    }
  });
});
