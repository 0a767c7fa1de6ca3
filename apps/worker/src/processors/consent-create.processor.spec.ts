import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { type CircuitBreakers } from '@gw/circuit-breaker';
import {
  ConsentJobs,
  type ConsentStatusScheduler,
  type ConsentSweeper,
  type ConsentUpstreamService,
  RetryableUpstreamError,
} from '@gw/consent';
import { runningJob } from '@gw/queue/testing';
import { ConsentCreateProcessor } from './consent-create.processor';

type Submit = ConsentUpstreamService['submit'];

const TENANT = '0192f3a4-5b6c-7d8e-9f01-a12345678901';
const CONSENT = '0192f3a4-0000-7d8e-9f01-a12345678901';

/** A hand-written job: what the processor reads of it, and the re-delays it asks for. */
function fakeJob(
  attemptsMade: number,
  attemptsStarted = attemptsMade + 1,
  data: unknown = { tenantId: TENANT, consentId: CONSENT },
) {
  return runningJob({ id: CONSENT, name: 'create', data, attemptsMade, attemptsStarted });
}

function processorWith(submit: Submit, sweep = () => Promise.resolve({ requeued: 0 })) {
  const upstream = { submit } as unknown as ConsentUpstreamService;
  const sweeper = { sweep } as unknown as ConsentSweeper;
  const jobs = new ConsentJobs(upstream, {} as ConsentStatusScheduler, sweeper);
  // Breakers that are closed: the job runs.
  const breakers = { guard: (_owner, _upstreams, work) => work() } as Pick<CircuitBreakers, 'guard'>;
  return new ConsentCreateProcessor(jobs, { consentCreate: 8 }, breakers as CircuitBreakers);
}

describe('ConsentCreateProcessor', () => {
  it('passes the attempts made and whether this is the last one', async () => {
    const calls: Parameters<Submit>[] = [];
    const processor = processorWith((...args) => {
      calls.push(args);
      return Promise.resolve('created');
    });
    await expect(processor.process(fakeJob(7).job)).resolves.toEqual({ outcome: 'created' });
    expect(calls).toEqual([[TENANT, CONSENT, true, 7, false]]);
  });

  it('re-delays the job by the Retry-After Altinn asked for', async () => {
    const processor = processorWith(() =>
      Promise.reject(new RetryableUpstreamError('Altinn answered 429', { retryAfterMs: 30_000 })),
    );
    const { job, delays } = fakeJob(1);
    const before = Date.now();
    await expect(processor.process(job, 'lock-token')).rejects.toBeInstanceOf(DelayedError);
    expect(delays).toHaveLength(1);
    expect(delays[0].token).toBe('lock-token');
    expect(delays[0].at).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('leaves a retry without Retry-After to the queue’s backoff', async () => {
    const failure = new RetryableUpstreamError('Altinn answered 503');
    const processor = processorWith(() => Promise.reject(failure));
    const { job, delays } = fakeJob(1);
    await expect(processor.process(job)).rejects.toBe(failure);
    expect(delays).toEqual([]);
  });

  it('stops re-delaying once the job has been started twice its attempts, so it cannot wait forever', async () => {
    const failure = new RetryableUpstreamError('Altinn answered 429', { retryAfterMs: 1_000 });
    const processor = processorWith(() => Promise.reject(failure));
    const { job, delays } = fakeJob(1, 17);
    await expect(processor.process(job)).rejects.toBe(failure);
    expect(delays).toEqual([]);
  });

  it('fails a job whose tenant id is no tenant id for good, without calling Altinn', async () => {
    const submit = jest.fn<ReturnType<Submit>, Parameters<Submit>>();
    const processor = processorWith(submit);
    const { job } = fakeJob(0, 1, { tenantId: 't-1', consentId: CONSENT });
    await expect(processor.process(job)).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processor.process(job)).rejects.toThrow(/tenantId: must be a tenant id/);
    expect(submit).not.toHaveBeenCalled();
  });

  it('runs the pending sweep for the sweep scheduler’s jobs', async () => {
    const sweep = jest.fn(() => Promise.resolve({ requeued: 2 }));
    const processor = processorWith(() => Promise.resolve('created'), sweep);
    const job = { id: 'repeat:sweep-pending:1', name: 'sweep', data: {} } as unknown as Job;
    await expect(processor.process(job)).resolves.toEqual({ requeued: 2 });
    expect(sweep).toHaveBeenCalledTimes(1);
  });
});
