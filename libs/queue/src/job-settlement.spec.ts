import { DelayedError, UnrecoverableError } from 'bullmq';
import { runningJob } from '@gw/queue/testing';
import { settleJob } from './job-settlement';
import { QueueName } from './queue-names';

function fakeJob(attemptsMade: number) {
  return runningJob({ name: 'create', data: {}, attemptsMade });
}

function upstream(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('upstream'), { source: 'altinn', code: 'altinn.unavailable', ...fields });
}

describe('settleJob', () => {
  it('passes on what the work returns', async () => {
    const { job } = fakeJob(0);
    await expect(settleJob(QueueName.ConsentCreate, job, undefined, () => Promise.resolve(7))).resolves.toBe(
      7,
    );
  });

  it('re-delays the same job by the upstream’s Retry-After, with the worker’s lock token', async () => {
    const { job, delays } = fakeJob(1);
    const before = Date.now();
    const work = () => Promise.reject(upstream({ retryable: true, retryAfterMs: 30_000 }));
    await expect(settleJob(QueueName.ConsentCreate, job, 'lock', work)).rejects.toBeInstanceOf(DelayedError);
    expect(delays).toHaveLength(1);
    expect(delays[0].token).toBe('lock');
    expect(delays[0].at).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('fails a refusal for good on a queue whose rules name its source', async () => {
    const { job } = fakeJob(0);
    const work = () =>
      Promise.reject(upstream({ code: 'altinn.not_found', upstreamCode: 'AM-00001', retryable: false }));
    const settled = settleJob(QueueName.ConsentStatus, job, undefined, work);
    await expect(settled).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(settled).rejects.toThrow('altinn.not_found (AM-00001)');
  });

  it('rethrows anything else for the queue’s backoff', async () => {
    const { job, delays } = fakeJob(1);
    const failure = upstream({ retryable: true, retryAfterMs: 1_000 });
    await expect(
      settleJob(QueueName.ConsentStatus, job, undefined, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    expect(delays).toEqual([]);
  });
});
