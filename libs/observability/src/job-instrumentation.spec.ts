import { DelayedError, type Job } from 'bullmq';
import { instrumentProcessor } from './job-instrumentation';
import { currentLogContext } from './log-context';
import { Metrics } from './metrics';

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    name: 'create',
    data: { tenantId: 'tenant-1', consentId: 'consent-1' },
    attemptsMade: 0,
    attemptsStarted: 1,
    timestamp: 1_000,
    delay: 0,
    processedOn: 3_000,
    ...overrides,
  } as Job;
}

const quiet = { debug: () => undefined, warn: () => undefined };

async function count(metrics: Metrics, name: string, labels: string): Promise<number | undefined> {
  const line = (await metrics.scrape())
    .split('\n')
    .find((row) => row.startsWith(`${name}{`) && row.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('instrumentProcessor', () => {
  it('runs the job with its queue, id, name and tenant as log context', async () => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    let seen: Record<string, unknown> = {};
    const processor = instrumentProcessor(
      'consent-create',
      () => {
        seen = currentLogContext();
        return Promise.resolve('ok');
      },
      metrics,
      quiet,
    );
    await expect(processor(job())).resolves.toBe('ok');
    expect(seen).toEqual({
      queue: 'consent-create',
      jobId: 'job-1',
      jobName: 'create',
      tenantId: 'tenant-1',
    });
    expect(currentLogContext()).toEqual({});
  });

  it.each([
    ['completed', () => Promise.resolve()],
    ['failed', () => Promise.reject(new Error('Altinn answered 503'))],
    ['delayed', () => Promise.reject(new DelayedError())],
  ])('times a run that %s', async (outcome, work) => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    await instrumentProcessor('webhook-delivery', work, metrics, quiet)(job()).catch(() => undefined);
    expect(
      await count(metrics, 'sgw_job_duration_seconds_count', `queue="webhook-delivery",outcome="${outcome}"`),
    ).toBe(1);
  });

  it('counts the wait of a first run from when the job was due, and not of a retry', async () => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    const processor = instrumentProcessor('consent-status', () => Promise.resolve(), metrics, quiet);
    await processor(job({ timestamp: 1_000, delay: 1_500, processedOn: 3_000 }));
    await processor(job({ attemptsMade: 1, attemptsStarted: 2 }));
    expect(await count(metrics, 'sgw_job_wait_seconds_count', 'queue="consent-status"')).toBe(1);
    expect(await count(metrics, 'sgw_job_wait_seconds_sum', 'queue="consent-status"')).toBe(0.5);
  });
});
