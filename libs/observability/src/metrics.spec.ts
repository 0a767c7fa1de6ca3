import { Metrics } from './metrics';

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
    expect(await first.scrape()).toContain('sgw_token_cache_requests_total{result="cache",service="a"} 1');
    expect(await second.scrape()).not.toContain('sgw_token_cache_requests_total{result="cache"');
  });
});
