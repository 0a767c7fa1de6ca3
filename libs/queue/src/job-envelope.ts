import { type Job, type JobsOptions, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { type TenantId, tenantIdSchema } from '@gw/identifiers';
import { type ConsentStatusJob, type JobPayloads, type QueueName } from './queue-names';

type StatusJob<Kind extends ConsentStatusJob['kind']> = Extract<ConsentStatusJob, { kind: Kind }>;
/** A job that carries nothing (a scheduler's run). */
type NoPayload = Record<string, never>;

/**
 * Every job of every queue: queue → job name → payload as it is stored in Redis. A job name outside this
 * map does not compile where jobs are built ({@link jobOf}) and fails for good where they are run
 * ({@link parseJob}).
 */
export interface QueueJobs {
  'delegation-check': { 'delegation-check': JobPayloads['delegation-check'] };
  'consent-create': { create: JobPayloads['consent-create']; sweep: NoPayload };
  'consent-status': { refresh: StatusJob<'refresh'>; feed: StatusJob<'feed'>; expire: StatusJob<'expire'> };
  'consent-token': { token: JobPayloads['consent-token'] };
  'webhook-delivery': { deliver: JobPayloads['webhook-delivery'] };
  'webhook-relay': { relay: NoPayload };
}

export type JobName<Q extends QueueName> = keyof QueueJobs[Q] & string;
export type JobData<Q extends QueueName, N extends JobName<Q>> = QueueJobs[Q][N];

/** A job to add to queue `Q`: one of its names with that name's payload (what {@link jobOf} builds). */
export type JobToAdd<Q extends QueueName> = {
  [N in JobName<Q>]: { name: N; data: JobData<Q, N>; opts?: JobsOptions };
}[JobName<Q>];

/** A payload as a processor gets it: its tenant id checked and branded. */
export type ParsedPayload<Q extends QueueName, N extends JobName<Q>> =
  JobData<Q, N> extends { tenantId: string }
    ? Omit<JobData<Q, N>, 'tenantId'> & { tenantId: TenantId }
    : JobData<Q, N>;

/** A job as a processor gets it: its name, and the payload of that name. */
export type ParsedJob<Q extends QueueName> = {
  [N in JobName<Q>]: { name: N; payload: ParsedPayload<Q, N> };
}[JobName<Q>];

const id = z.string().min(1, 'must not be empty');
// A scheduler's run carries no payload (BullMQ stores `{}` or nothing); whatever it holds is ignored.
const noPayload = z.unknown().transform((): NoPayload => ({}));

/** The payload parser of each job: what {@link parseJob} checks before a processor sees a job. */
const PAYLOAD_SCHEMAS: { [Q in QueueName]: { [N in JobName<Q>]: z.ZodType<ParsedPayload<Q, N>> } } = {
  'delegation-check': { 'delegation-check': z.object({ tenantId: tenantIdSchema }) },
  'consent-create': {
    create: z.object({ tenantId: tenantIdSchema, consentId: id, announce: z.boolean().optional() }),
    sweep: noPayload,
  },
  'consent-status': {
    refresh: z.object({
      kind: z.literal('refresh'),
      tenantId: tenantIdSchema,
      consentId: id,
      attempt: z.int().nonnegative().optional(),
    }),
    feed: z.object({ kind: z.literal('feed'), tenantId: tenantIdSchema }),
    expire: z.object({ kind: z.literal('expire'), tenantId: tenantIdSchema, consentId: id }),
  },
  'consent-token': { token: z.object({ tenantId: tenantIdSchema, consentId: id, scope: id }) },
  'webhook-delivery': { deliver: z.object({ tenantId: tenantIdSchema, deliveryId: id }) },
  'webhook-relay': { relay: noPayload },
};

/** A job name checked against {@link QueueJobs}, for `queue.add(jobName(queue, 'name'), …)`. */
export function jobName<Q extends QueueName, N extends JobName<Q>>(_queue: Q, name: N): N {
  return name;
}

/** A job to add, its name and payload checked against {@link QueueJobs}: `queue.add(job.name, job.data, job.opts)`. */
export function jobOf<Q extends QueueName, N extends JobName<Q>>(
  _queue: Q,
  name: N,
  data: JobData<Q, N>,
  opts?: JobsOptions,
): { name: N; data: JobData<Q, N>; opts?: JobsOptions } {
  return opts === undefined ? { name, data } : { name, data, opts };
}

/**
 * The job's name and checked payload. A job this map does not know, or whose payload does not parse, fails
 * for good (`UnrecoverableError`): no retry makes a bad payload good, and the reason says what was wrong.
 */
export function parseJob<Q extends QueueName>(
  queue: Q,
  job: Pick<Job, 'id' | 'name' | 'data'>,
): ParsedJob<Q> {
  const schemas = PAYLOAD_SCHEMAS[queue] as Record<string, z.ZodType | undefined>;
  const schema = Object.hasOwn(schemas, job.name) ? schemas[job.name] : undefined;
  if (!schema) {
    throw new UnrecoverableError(`${queue} job ${job.id ?? '?'} has an unknown name "${job.name}"`);
  }
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'payload'}: ${issue.message}`)
      .join('; ');
    throw new UnrecoverableError(
      `${queue} job ${job.id ?? '?'} (${job.name}) has a bad payload: ${problems}`,
    );
  }
  return { name: job.name, payload: parsed.data } as ParsedJob<Q>;
}
