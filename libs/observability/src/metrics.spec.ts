import { MAX_SCOPE_LABELS, MAX_TENANT_LABELS, Metrics } from './metrics';
import { waitingSeconds } from './queue-inspector';

describe('Metrics', () => {
  it('exports upstream calls with their status and code, and counts the failed ones as errors', async () => {
    const metrics = new Metrics({ service: 'sgw-worker', defaultMetrics: false });
    metrics.upstreamCall({
      upstream: 'maskinporten',
      operation: 'token',
      outcome: 'ok',
      status: 200,
      seconds: 0.1,
    });
    metrics.upstreamCall({
      upstream: 'maskinporten',
      operation: 'token',
      outcome: 'error',
      status: 400,
      code: 'MP-012',
      seconds: 0.1,
    });
    metrics.upstreamCall({
      upstream: 'altinn',
      operation: 'create',
      outcome: 'error',
      status: 'timeout',
      code: 'altinn.timeout',
    });
    const text = await metrics.scrape();
    expect(text).toContain(
      'sgw_upstream_calls_total{upstream="maskinporten",operation="token",outcome="error",status="400",code="MP-012",service="sgw-worker"} 1',
    );
    expect(text).toContain(
      'sgw_upstream_errors_total{upstream="altinn",operation="create",code="altinn.timeout",service="sgw-worker"} 1',
    );
    expect(text).not.toContain('sgw_upstream_errors_total{upstream="maskinporten",operation="token",code=""');
  });

  it('reads queue depth at scrape time, one series per queue and state', async () => {
    const metrics = new Metrics({ service: 'sgw-gateway', defaultMetrics: false });
    let waiting = 3;
    metrics.setQueueDepthSource(() =>
      Promise.resolve([{ queue: 'consent-create', counts: { waiting, active: 1 } }]),
    );
    expect(await metrics.scrape()).toContain(
      'sgw_queue_jobs{queue="consent-create",state="waiting",service="sgw-gateway"} 3',
    );
    waiting = 0;
    const text = await metrics.scrape();
    expect(text).toContain('sgw_queue_jobs{queue="consent-create",state="waiting",service="sgw-gateway"} 0');
    expect(text).toContain('sgw_queue_jobs{queue="consent-create",state="failed",service="sgw-gateway"} 0');
  });

  it('keeps two instances apart (two apps in one process)', async () => {
    const first = new Metrics({ service: 'a' });
    const second = new Metrics({ service: 'b' });
    first.tokenCache('cache');
    expect(await first.scrape()).toContain(
      'sgw_token_cache_requests_total{result="cache",scope="",service="a"} 1',
    );
    expect(await second.scrape()).not.toContain('sgw_token_cache_requests_total{result="cache"');
  });

  it('exports the age of the oldest waiting job per queue, 0 for a queue where none waits', async () => {
    const metrics = new Metrics({ service: 'sgw-gateway', defaultMetrics: false });
    metrics.setQueueDepthSource(() =>
      Promise.resolve([
        { queue: 'consent-create', counts: { waiting: 2 }, oldestWaitingSeconds: 42.5 },
        { queue: 'webhook-delivery', counts: {} },
      ]),
    );
    const text = await metrics.scrape();
    expect(text).toContain(
      'sgw_queue_oldest_job_age_seconds{queue="consent-create",service="sgw-gateway"} 42.5',
    );
    expect(text).toContain(
      'sgw_queue_oldest_job_age_seconds{queue="webhook-delivery",service="sgw-gateway"} 0',
    );
  });

  it('exports no queue gauges from a process that was given no queues to read', async () => {
    const text = await new Metrics({ service: 'sgw-worker', defaultMetrics: false }).scrape();
    expect(text).not.toMatch(/^sgw_queue_jobs\{/m);
    expect(text).not.toMatch(/^sgw_queue_oldest_job_age_seconds\{/m);
  });

  it('counts token cache results per scope', async () => {
    const metrics = new Metrics({ service: 'sgw-worker', defaultMetrics: false });
    metrics.tokenCache('cache', 'altinn:consentrequests.write');
    metrics.tokenCache('fetched', 'altinn:consentrequests.read');
    const text = await metrics.scrape();
    expect(text).toContain(
      'sgw_token_cache_requests_total{result="cache",scope="altinn:consentrequests.write",service="sgw-worker"} 1',
    );
    expect(text).toContain(
      'sgw_token_cache_requests_total{result="fetched",scope="altinn:consentrequests.read",service="sgw-worker"} 1',
    );
  });

  it.each([
    ['tenant', MAX_TENANT_LABELS, (metrics: Metrics, value: string) => consentOutcome(metrics, value)],
    ['scope', MAX_SCOPE_LABELS, (metrics: Metrics, value: string) => metrics.tokenCache('cache', value)],
  ])(
    'gives at most a bounded number of %s values a label of their own, the rest share "other"',
    async (label, max, record) => {
      const metrics = new Metrics({ service: 'test', defaultMetrics: false });
      for (let index = 0; index <= max; index += 1) record(metrics, `value-${index}`);
      record(metrics, 'value-0');
      const text = await metrics.scrape();
      expect(text).toContain(`${label}="value-0"`);
      expect(text).toContain(`${label}="value-${max - 1}"`);
      expect(text).not.toContain(`${label}="value-${max}"`);
      expect(text).toContain(`${label}="other"`);
    },
  );

  it('times only answers (accepted, rejected) from creation, and counts every status', async () => {
    const metrics = new Metrics({ service: 'test', defaultMetrics: false });
    const createdAt = new Date('2026-12-01T10:00:00Z');
    metrics.consentOutcome({
      tenantId: 't1',
      status: 'accepted',
      createdAt,
      answeredAt: new Date('2026-12-01T10:10:00Z'),
    });
    metrics.consentOutcome({ tenantId: 't1', status: 'expired', createdAt, answeredAt: new Date() });
    const text = await metrics.scrape();
    expect(text).toMatch(/^sgw_consent_answer_seconds_sum\{[^}]*status="accepted"[^}]*\} 600$/m);
    expect(text).not.toMatch(/^sgw_consent_answer_seconds_count\{[^}]*status="expired"/m);
    expect(text).toContain('sgw_consent_outcomes_total{tenant="t1",status="expired",service="test"} 1');
  });
});

function consentOutcome(metrics: Metrics, tenantId: string): void {
  metrics.consentOutcome({ tenantId, status: 'created', createdAt: new Date() });
}

describe('waitingSeconds', () => {
  it.each([
    ['added 5 s ago', { timestamp: 5_000 }, 5],
    ['delayed 2 s, added 5 s ago', { timestamp: 5_000, delay: 2_000 }, 3],
    ['not yet due', { timestamp: 9_000, delay: 5_000 }, 0],
  ])('a job %s has waited %d s', (_case, job, seconds) => {
    expect(waitingSeconds(job, 10_000)).toBe(seconds);
  });
});
