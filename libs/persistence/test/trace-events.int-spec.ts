import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';

// docs/observability.md "One trace per consent, across the outbox": an event keeps the traceparent of
// the statement that wrote it, read from the sqlcommenter comment the pg instrumentation appends.

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('events.traceparent', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 1 });
  });

  afterAll(() => db.drop());

  async function insertEvent(comment: string): Promise<string | null> {
    return db.dataSource.transaction(async (manager) => {
      // The row's tenant is beside the point: no foreign-key checks for this session's statements.
      await manager.query('SET LOCAL session_replication_role = replica');
      const rows = await manager.query<{ traceparent: string | null }[]>(
        `WITH event AS (
           INSERT INTO events (tenant_id, type, data) VALUES ($1, 'consent.created', '{}') RETURNING traceparent
         )
         SELECT traceparent FROM event ${comment}`,
        [randomUUID()],
      );
      return rows[0].traceparent;
    });
  }

  it("keeps the traceparent of a statement that carries one, in a CTE like the repositories' writes", async () => {
    expect(await insertEvent(`/*traceparent='${TRACEPARENT}',tracestate='vendor%3Dvalue'*/`)).toBe(
      TRACEPARENT,
    );
  });

  it('stays empty for a statement without one (tracing off)', async () => {
    expect(await insertEvent('')).toBeNull();
  });

  it('keeps nothing that is not a traceparent', async () => {
    expect(await insertEvent(`/*traceparent='00-not-a-trace-01'*/`)).toBeNull();
  });
});
