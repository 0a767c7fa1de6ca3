/**
 * The floor's worker, a process of its own: the least work creating a consent at Altinn needs. One BullMQ
 * worker (the product's concurrency) reads the row, POSTs it to Altinn's create endpoint with an access
 * token it was handed (FLOOR_ACCESS_TOKEN: no signing, no token cache) and marks it created with its
 * `consent.created` event in one statement. A tiny HTTP server answers readiness.
 */
import { createServer } from 'node:http';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import {
  FLOOR_CONCURRENCY,
  FLOOR_QUEUE,
  type FloorJob,
  floorSubmittedChannel,
  requiredEnv,
} from './floor-queue';

const CONSENT_REQUESTS_PATH = '/accessmanagement/api/v1/enterprise/consentrequests';

interface Row {
  id: string;
  from_party: string;
  to_org: string;
  valid_to: Date;
  rights: unknown;
  message: unknown;
  redirect_url: string;
}

const MARK_CREATED = `WITH updated AS (
    UPDATE consent_requests SET status = 'created', view_uri = $2, version = version + 1, updated_at = now()
     WHERE id = $1 AND status = 'pending'
    RETURNING id, tenant_id, status
  )
  INSERT INTO events (tenant_id, type, consent_request_id, data)
  SELECT tenant_id, 'consent.created', id, jsonb_build_object('status', status) FROM updated`;

async function main(): Promise<void> {
  const token = requiredEnv('FLOOR_ACCESS_TOKEN');
  const createUrl = `${requiredEnv('ALTINN_BASE_URL')}${CONSENT_REQUESTS_PATH}`;
  const pool = new Pool({ connectionString: requiredEnv('DATABASE_URL'), max: 10 });
  const publisher = new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  const submitted = floorSubmittedChannel(requiredEnv('QUEUE_PREFIX'));
  const worker = new Worker<FloorJob>(
    FLOOR_QUEUE,
    async (job) => {
      const { rows } = await pool.query<Row>(
        `SELECT id, from_party, to_org, valid_to, rights, message, redirect_url
           FROM consent_requests WHERE id = $1`,
        [job.data.consentId],
      );
      const row = rows[0];
      if (!row) return;
      const response = await fetch(createUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: row.id,
          from: row.from_party,
          to: `urn:altinn:organization:identifier-no:${row.to_org}`,
          validTo: row.valid_to.toISOString(),
          consentRights: row.rights,
          ...(row.message === null ? {} : { requestMessage: row.message }),
          redirectUrl: row.redirect_url,
        }),
      });
      const text = await response.text();
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(`Altinn create: ${response.status} ${text}`);
      }
      const details = JSON.parse(text) as { viewUri?: string };
      await pool.query(MARK_CREATED, [row.id, details.viewUri ?? null]);
      if (job.data.announce) await publisher.publish(submitted, row.id);
    },
    {
      connection: new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: null }),
      prefix: requiredEnv('QUEUE_PREFIX'),
      concurrency: FLOOR_CONCURRENCY,
    },
  );
  worker.on('failed', (job, error) => console.error(`job ${job?.id} failed: ${error.message}`));
  await worker.waitUntilReady();

  const health = createServer((_request, response) => response.writeHead(200).end('ok'));
  health.listen(Number(requiredEnv('FLOOR_HEALTH_PORT')), '127.0.0.1');
  process.once('SIGTERM', () => {
    health.close();
    void worker
      .close()
      .then(() => publisher.quit())
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
