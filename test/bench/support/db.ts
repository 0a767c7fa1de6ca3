import { Client, type QueryResultRow } from 'pg';

/**
 * The bench's own connection to the database it measures. Each statement runs as a transaction of its
 * own, which pg_stat_database counts as a commit like the stack's; `commits` lets the cost meter take
 * the bench's reads off.
 */
export class CountingClient {
  commits = 0;
  private readonly client: Client;

  constructor(url: string) {
    this.client = new Client({ connectionString: url });
  }

  async connect(): Promise<this> {
    await this.client.connect();
    return this;
  }

  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.commits += 1;
    return (await this.client.query<T>(sql, params)).rows;
  }

  async end(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
