import { type JobsOptions } from 'bullmq';

/** The floor's one queue; a job names the consent as the gateway's create job does (jobId = consent id). */
export const FLOOR_QUEUE = 'floor-create';

export interface FloorJob {
  tenantId: string;
  consentId: string;
  /** The server waits for this creation (`Prefer: wait`): the worker publishes the id when done. */
  announce?: boolean;
}

/** Where the floor's worker announces a creation a server waits for, as the gateway's worker does. */
export function floorSubmittedChannel(prefix: string): string {
  return `${prefix}:${FLOOR_QUEUE}:submitted`;
}

/** The product's retry and retention for creation jobs, so Redis keeps the same bookkeeping. */
export const FLOOR_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { count: 10_000 },
  removeOnFail: { count: 50_000 },
};

/** The product's worker runs 32 creation jobs at once per process. */
export const FLOOR_CONCURRENCY = 32;

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}
