import { DelayedError, type Job } from 'bullmq';
import { type CircuitBreakers } from '@gw/circuit-breaker';
import { type ConsentSweeper, type ConsentUpstreamService, RetryableUpstreamError } from '@gw/consent';
import { type JobPayloads } from '@gw/queue';
import { ConsentCreateProcessor } from './consent-create.processor';

type Submit = ConsentUpstreamService['submit'];

/** A hand-written job: what the processor reads of it, and the re-delays it asks for. */
function fakeJob(attemptsMade: number, attemptsStarted = attemptsMade + 1) {
  const delays: { at: number; token?: string }[] = [];
  const job = {
    name: 'create',
    data: { tenantId: 't-1', consentId: 'c-1' },
    opts: { attempts: 8 },
    attemptsMade,
    attemptsStarted,
    moveToDelayed: (at: number, token?: string) => {
      delays.push({ at, token });
      return Promise.resolve();
    },
  };
  return { job: job as unknown as Job<JobPayloads['consent-create']>, delays };
}

function processorWith(submit: Submit) {
  const consents = { submit } as unknown as ConsentUpstreamService;
  // Breakers that are closed: the job runs.
  const breakers = { guard: (_owner, _upstreams, work) => work() } as Pick<CircuitBreakers, 'guard'>;
  return new ConsentCreateProcessor(
    consents,
    {} as ConsentSweeper,
    { consentCreate: 8 },
    breakers as CircuitBreakers,
  );
}

describe('ConsentCreateProcessor', () => {
  it('passes the attempts made and whether this is the last one', async () => {
    const calls: Parameters<Submit>[] = [];
    const processor = processorWith((...args) => {
      calls.push(args);
      return Promise.resolve('created');
    });
    await expect(processor.process(fakeJob(7).job)).resolves.toEqual({ outcome: 'created' });
    expect(calls).toEqual([['t-1', 'c-1', true, 7]]);
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
});
