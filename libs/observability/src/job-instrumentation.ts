import { BullModule } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { DelayedError, type Job, type Processor, RateLimitError, Worker, type WorkerOptions } from 'bullmq';
import { runWithLogContext } from './log-context';
import { type JobOutcome, type Metrics } from './metrics';

/**
 * Wraps a BullMQ processor: every log line written while a job runs carries its queue, job id, job name
 * and tenant (payloads carry `tenantId`, docs/architecture.md "Queues"), and each run is timed by outcome.
 */
export function instrumentProcessor(
  queue: string,
  processor: Processor,
  metrics: Metrics,
  logger: Pick<Logger, 'debug' | 'warn'> = new Logger('Job'),
): Processor {
  return (job: Job, token?: string, signal?: AbortSignal) => {
    const data: unknown = job.data;
    const tenantId =
      typeof data === 'object' &&
      data !== null &&
      typeof (data as { tenantId?: unknown }).tenantId === 'string'
        ? (data as { tenantId: string }).tenantId
        : undefined;
    return runWithLogContext({ queue, jobId: job.id, jobName: job.name, tenantId }, async () => {
      // The first run only: a re-delayed or retried job would count its own backoff as waiting.
      if (job.attemptsStarted <= 1 && job.attemptsMade === 0 && job.processedOn !== undefined) {
        metrics.jobWaited(queue, (job.processedOn - job.timestamp - (job.delay ?? 0)) / 1000);
      }
      const started = performance.now();
      let outcome: JobOutcome = 'failed';
      logger.debug({ msg: 'job started', attempt: job.attemptsMade + 1, data: job.data as unknown });
      try {
        const result: unknown = await processor(job, token, signal);
        outcome = 'completed';
        return result;
      } catch (error) {
        // A job put back by a circuit breaker (RateLimitError) waits too: it failed nothing.
        if (error instanceof DelayedError || error instanceof RateLimitError) {
          outcome = 'delayed';
        } else {
          // BullMQ keeps the reason on the job; without this line a failing upstream is silent in the log.
          logger.warn({
            msg: `job failed: ${error instanceof Error ? error.message : String(error)}`,
            attempt: job.attemptsMade + 1,
            err: error,
          });
        }
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        metrics.jobRun(queue, outcome, seconds);
        logger.debug({ msg: 'job finished', outcome, ms: Math.round(seconds * 1000) });
      }
    });
  };
}

/**
 * Makes @nestjs/bullmq build its workers with `instrumentProcessor` around each `@Processor`. Called while
 * the worker's providers are created, before BullModule registers the workers (on module init).
 */
export function instrumentBullWorkers(metrics: Metrics): void {
  class InstrumentedWorker extends Worker {
    constructor(name: string, processor?: string | URL | null | Processor, opts?: WorkerOptions) {
      super(
        name,
        typeof processor === 'function' ? instrumentProcessor(name, processor, metrics) : processor,
        opts,
      );
    }
  }
  BullModule.workerClass = InstrumentedWorker;
}
