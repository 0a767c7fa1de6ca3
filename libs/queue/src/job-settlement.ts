import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { attemptOf, jobFailureOutcome, type RetryRules } from './domain/job-failure';
import { type QueueName } from './queue-names';

/**
 * How each queue treats its jobs' failures, in one table beside `QUEUE_JOB_OPTIONS` (which holds the
 * attempts and the backoff). Anything no rule names is retried with the queue's backoff.
 */
export const QUEUE_RETRY_RULES: Record<QueueName, RetryRules> = {
  // Maskinporten's refusals are recorded per scope by the check itself; an unknown tenant will not appear
  // by retrying, an unreachable Maskinporten may come back.
  'delegation-check': { finalRefusalsFrom: [], finalCodes: ['tenants.not_found'], honourRetryAfter: false },
  // A refusal is recorded on the request by the submission itself; what reaches the queue may succeed later,
  // no sooner than Altinn's (or Maskinporten's) `Retry-After`.
  'consent-create': { finalRefusalsFrom: [], finalCodes: [], honourRetryAfter: true },
  // Altinn refused for good (e.g. AM-00001, a consent it does not know): the next scheduled poll or refresh
  // asks again.
  'consent-status': { finalRefusalsFrom: ['altinn'], finalCodes: [], honourRetryAfter: false },
  // Maskinporten refused for good (consent revoked, scope not delegated…): the reason tells the gateway why.
  'consent-token': { finalRefusalsFrom: ['maskinporten'], finalCodes: [], honourRetryAfter: false },
  // Deliveries keep their own retry schedule (libs/webhooks): they re-delay themselves.
  'webhook-delivery': { finalRefusalsFrom: [], finalCodes: [], honourRetryAfter: false },
  'webhook-relay': { finalRefusalsFrom: [], finalCodes: [], honourRetryAfter: false },
};

/** What a processor hands over of the job it runs (its worker's lock `token` is needed to re-delay it). */
type RunningJob = Pick<Job, 'attemptsMade' | 'attemptsStarted' | 'opts' | 'moveToDelayed'>;

/**
 * Runs a job's work and turns its failure into the job's outcome by the queue's {@link QUEUE_RETRY_RULES}:
 * fail for good, re-delay the same job by the upstream's `Retry-After`, or rethrow for the queue's backoff.
 */
export async function settleJob<T>(
  queue: QueueName,
  job: RunningJob,
  token: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const outcome = jobFailureOutcome(error, attemptOf(job), QUEUE_RETRY_RULES[queue]);
    switch (outcome.kind) {
      case 'fail':
        throw new UnrecoverableError(outcome.reason);
      case 'delay':
        return delayJob(job, Date.now() + outcome.delayMs, token);
      case 'retry':
        throw error;
    }
  }
}

/** Moves the running job back to the delayed set until `at` (epoch ms); spends no attempt. */
export async function delayJob(job: Pick<Job, 'moveToDelayed'>, at: number, token?: string): Promise<never> {
  await job.moveToDelayed(at, token);
  // Tells BullMQ the job was moved, not failed.
  throw new DelayedError();
}
