/**
 * The floor's intake, a process of its own: the least work `POST /v1/consent-requests` needs on this box.
 * One plain Fastify route stores the request and its outbox event in one statement (as the gateway's
 * insert does) and adds one BullMQ job. No authentication, validation, idempotency, rate limit, logging or
 * problem details: what remains is what no implementation of the job can skip. With `Prefer: wait` it
 * waits for the worker's announcement (as the gateway does) and answers the row as the worker left it.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import Redis from 'ioredis';
import { Pool } from 'pg';
import {
  FLOOR_JOB_OPTIONS,
  FLOOR_QUEUE,
  type FloorJob,
  floorSubmittedChannel,
  requiredEnv,
} from './floor-queue';

const WAIT_MS = 10_000;

interface CreateBody {
  from: string;
  validTo: string;
  consentRights: unknown;
  requestMessage?: unknown;
  redirectUrl: string;
}

const INSERT = `WITH inserted AS (
    INSERT INTO consent_requests (id, tenant_id, from_party, to_org, valid_to, rights, message, redirect_url)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    RETURNING id, tenant_id, status
  ), event AS (
    INSERT INTO events (tenant_id, type, consent_request_id, data)
    SELECT tenant_id, 'consent.pending', id, jsonb_build_object('status', status) FROM inserted
  )
  SELECT id FROM inserted`;

async function main(): Promise<void> {
  const tenantId = requiredEnv('FLOOR_TENANT_ID');
  const toOrg = requiredEnv('FLOOR_TENANT_ORG');
  const pool = new Pool({ connectionString: requiredEnv('DATABASE_URL'), max: 10 });
  const redis = new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  const queue = new Queue<FloorJob>(FLOOR_QUEUE, {
    connection: redis,
    prefix: requiredEnv('QUEUE_PREFIX'),
    defaultJobOptions: FLOOR_JOB_OPTIONS,
  });
  const app = Fastify();
  // Waiting requests by consent id; the subscriber is subscribed before the first request is served.
  const waiting = new Map<string, () => void>();
  const subscriber = new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  subscriber.on('message', (_channel: string, id: string) => waiting.get(id)?.());
  await subscriber.subscribe(floorSubmittedChannel(requiredEnv('QUEUE_PREFIX')));

  app.get('/health', (_request, reply) => reply.send({ ok: true }));
  app.post<{ Body: CreateBody }>('/v1/consent-requests', async (request, reply) => {
    const body = request.body;
    const id = randomUUID();
    await pool.query(INSERT, [
      id,
      tenantId,
      body.from,
      toOrg,
      body.validTo,
      JSON.stringify(body.consentRights),
      body.requestMessage === undefined ? null : JSON.stringify(body.requestMessage),
      body.redirectUrl,
    ]);
    const wait = request.headers.prefer !== undefined;
    if (!wait) {
      await queue.add('create', { tenantId, consentId: id }, { jobId: id });
      return reply.code(202).send({ id, status: 'pending' });
    }
    let timer: NodeJS.Timeout | undefined;
    const settled = new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      timer = setTimeout(resolve, WAIT_MS);
    });
    await queue.add('create', { tenantId, consentId: id, announce: true }, { jobId: id });
    await settled;
    clearTimeout(timer);
    waiting.delete(id);
    const { rows } = await pool.query<{ status: string; view_uri: string | null }>(
      'SELECT status, view_uri FROM consent_requests WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return reply.code(row.status === 'pending' ? 202 : 201).send({ id, ...row });
  });

  await app.listen({ port: Number(requiredEnv('PORT')), host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => queue.close())
      .then(() => subscriber.quit())
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
