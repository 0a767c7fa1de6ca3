import { asTenantId } from '@gw/identifiers';
import { type ConsentStatusJob, type ScheduleKeeper } from '@gw/queue';
import { FakeQueue } from '@gw/queue/testing';
import { ConsentJobs } from './consent-jobs';
import { type ConsentRequest } from './consent-request';
import { ConsentStatusScheduler, DEFAULT_TRACKING } from './consent-status.scheduler';
import { type ConsentSweeper } from './consent-sweeper';
import { type ConsentUpstreamService } from './consent-upstream.service';
import { type ConsentRepository } from './consent.repository';

const TENANT = asTenantId('0192f3a4-5b6c-7d8e-9f01-a12345678901');
const CONSENT = '0192f3a4-0000-7d8e-9f01-a12345678901';
const DELAYS = [5_000, 15_000, 30_000];

function jobsAfterRefreshAnswering(status: ConsentRequest['status'] | undefined) {
  const queue = new FakeQueue<ConsentStatusJob>('consent-status');
  const scheduler = new ConsentStatusScheduler(
    queue.asQueue(),
    { ...DEFAULT_TRACKING, earlyRefreshDelaysMs: DELAYS },
    {} as ConsentRepository,
    {} as ScheduleKeeper,
  );
  const consent =
    status === undefined ? undefined : ({ id: CONSENT, tenantId: TENANT, status } as ConsentRequest);
  const upstream = { refresh: () => Promise.resolve(consent) } as unknown as ConsentUpstreamService;
  return { jobs: new ConsentJobs(upstream, scheduler, {} as ConsentSweeper), queue };
}

function refresh(attempt?: number) {
  return {
    name: 'refresh' as const,
    payload: { kind: 'refresh' as const, tenantId: TENANT, consentId: CONSENT, attempt },
  };
}

describe('ConsentJobs.track, an early GET', () => {
  it('queues the next early GET while the person has not decided', async () => {
    const { jobs, queue } = jobsAfterRefreshAnswering('created');
    await expect(jobs.track(refresh(0))).resolves.toEqual({ status: 'created' });
    expect(queue.jobs.map((job) => [job.id, job.name, job.opts.delay])).toEqual([
      [`refresh-${CONSENT}-1`, 'refresh', 15_000],
    ]);
  });

  it('leaves the request to the feed once the early schedule has run out', async () => {
    const { jobs, queue } = jobsAfterRefreshAnswering('created');
    await jobs.track(refresh(DELAYS.length - 1));
    expect(queue.jobs).toEqual([]);
  });

  it.each([['accepted' as const], [undefined]])(
    'queues nothing more for a request that is %p',
    async (status) => {
      const { jobs, queue } = jobsAfterRefreshAnswering(status);
      await expect(jobs.track(refresh(0))).resolves.toEqual({ status: status ?? null });
      expect(queue.jobs).toEqual([]);
    },
  );

  it('queues nothing after an on-demand refresh (it carries no step)', async () => {
    const { jobs, queue } = jobsAfterRefreshAnswering('created');
    await jobs.track(refresh());
    expect(queue.jobs).toEqual([]);
  });
});
