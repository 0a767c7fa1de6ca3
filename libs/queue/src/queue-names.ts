import { type JobsOptions } from 'bullmq';

/** Every queue, by name (docs/architecture.md "Processes"). A processor in apps/worker exists for each. */
export const QueueName = {
  DelegationCheck: 'delegation-check',
  ConsentCreate: 'consent-create',
  ConsentStatus: 'consent-status',
  ConsentToken: 'consent-token',
  WebhookDelivery: 'webhook-delivery',
  WebhookRelay: 'webhook-relay',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/**
 * The payload of each queue's jobs: ids only, never tokens, keys or fødselsnummer, and always the
 * tenant the job acts for (docs/architecture.md "Queues").
 */
export interface JobPayloads {
  'delegation-check': { tenantId: string };
  /** jobId = consentId: a second enqueue of the same consent is a no-op (docs/architecture.md flow 2). */
  'consent-create': {
    tenantId: string;
    consentId: string;
    /** A gateway waits for this creation (`Prefer: wait`): the worker announces its answer. */
    announce?: boolean;
  };
  'consent-status': ConsentStatusJob;
  /** The token itself goes to the shared token cache, never into the job or its result. */
  'consent-token': { tenantId: string; consentId: string; scope: string };
  /** jobId = deliveryId (the `webhook-id`); retries re-delay the same job, so it is never doubled. */
  'webhook-delivery': { tenantId: string; deliveryId: string };
  /** The outbox relay's scheduled run: it reads every tenant's events, so it names none. */
  'webhook-relay': Record<string, never>;
}

/** The three tracking paths of docs/architecture.md flow 3 and the expiry, as job names of one queue. */
export type ConsentStatusJob =
  /** Early GETs after creation (`attempt` counts them) and on-demand refresh. */
  | { kind: 'refresh'; tenantId: string; consentId: string; attempt?: number }
  /** The tenant's Altinn event feed from its stored cursor. */
  | { kind: 'feed'; tenantId: string }
  /** The delayed job at `validTo`. */
  | { kind: 'expire'; tenantId: string; consentId: string };

/** Retry, backoff and retention per queue, in one table (docs/architecture.md "Queues"). */
export const QUEUE_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  // The retry schedule lives in libs/webhooks (the job re-delays itself); attempts here only cover
  // unexpected errors such as Postgres being down. Finished deliveries are in Postgres, not in Redis.
  'webhook-delivery': {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: { count: 10_000 },
  },
  'webhook-relay': {
    attempts: 1,
    removeOnComplete: true,
    removeOnFail: { count: 100 },
  },
  'delegation-check': {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 5_000 },
  },
  // Altinn 5xx and timeouts: retried with exponential backoff and jitter; 4xx fail at once (UnrecoverableError).
  'consent-create': {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    removeOnComplete: { count: 10_000 },
    removeOnFail: { count: 50_000 },
  },
  'consent-status': {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: { count: 10_000 },
    removeOnFail: { count: 10_000 },
  },
  // The result is read from the token cache, never from the job: completed jobs go at once.
  'consent-token': {
    attempts: 3,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  },
};
