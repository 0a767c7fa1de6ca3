// One trace per consent, across gateway, queue, worker and upstreams: the seed flow against gateway,
// worker and simulator as processes of their own (module-patching instrumentations need a real Node
// loader, not Jest's registry), each exporting spans to an OTLP/HTTP receiver in this process.
import { WebhookReceiver } from '../../../apps/gateway/test/webhook-receiver';
import {
  createBody,
  PERSON,
  ProcessStack,
  QUIET_TRACKING_WORKER_ENV,
  TENANT_A,
} from '../../../test/bench/support/stack';
import { until } from '@test/resources';
import { OtlpReceiver, type ReceivedSpan, traceTree } from './otlp-receiver';

const SERVER = 2;
const CLIENT = 3;

/** The chain of spans from `span` up to its trace's root, `span` first. */
function ancestry(span: ReceivedSpan, trace: readonly ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(trace.map((item) => [item.spanId, item]));
  const chain = [span];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) {
    chain.push(parent);
  }
  return chain;
}

/** The first of `keys` the span has as a string attribute (semantic conventions renamed several). */
function attribute(span: ReceivedSpan, ...keys: string[]): string {
  for (const key of keys) {
    const value = span.attributes[key];
    if (typeof value === 'string') return value;
  }
  return '';
}

/** An outgoing HTTP request (Redis and Postgres spans are clients too, without a URL). */
function isHttpCall(span: ReceivedSpan): boolean {
  return span.kind === CLIENT && attribute(span, 'url.full', 'http.url') !== '';
}

/** What a span says about itself, ids and timestamps aside. */
function content(spans: readonly ReceivedSpan[]): string {
  return JSON.stringify(
    spans.map(({ name, attributes, events, status }) => ({ name, attributes, events, status })),
  );
}

describe('a consent traced from the POST to its webhook', () => {
  const otlp = new OtlpReceiver();
  const webhooks = new WebhookReceiver();
  const stack = new ProcessStack();
  let key = '';
  let webhookSecret = '';

  beforeAll(async () => {
    await Promise.all([otlp.start(), webhooks.start()]);
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      // Export within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    const webhookEnv = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${webhooks.port}` };
    await stack.start({
      from: 'source',
      nodeEnv: 'test',
      gatewayEnv: { ...tracing, ...webhookEnv },
      workerEnv: {
        ...tracing,
        ...webhookEnv,
        ...QUIET_TRACKING_WORKER_ENV,
        WEBHOOK_RELAY_INTERVAL_MS: '500',
        // No cached Maskinporten tokens (the margin outlasts every token): the job fetches its own.
        TOKEN_CACHE_MARGIN_SECONDS: '3600',
      },
    });
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super'));
    const endpoint = await stack.request<{ secret: string }>('POST', '/v1/webhook-endpoints', {
      key,
      body: {
        url: webhooks.url('/hook?receiver-key=s3cr3t-in-the-query'),
        eventTypes: ['consent.created', 'consent.accepted'],
      },
    });
    expect(endpoint.status).toBe(201);
    webhookSecret = endpoint.body.secret;
  }, 180_000);

  afterAll(async () => {
    await stack.close();
    await Promise.all([otlp.close(), webhooks.close()]);
  });

  it('follows the request through the job, Maskinporten, Altinn, the transition and the relay to the webhook, and no span holds personal data or a secret', async () => {
    const created = await stack.request<{ id: string; status: string }>('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=30' },
    });
    expect([created.status, created.body.status]).toEqual([201, 'created']);
    const consentId = created.body.id;
    await stack.control('POST', `/_sim/consents/${consentId}/accept`);
    const refreshed = await stack.request<{ status: string }>(
      'GET',
      `/v1/consent-requests/${consentId}?refresh=true`,
      {
        key,
      },
    );
    expect(refreshed.body.status).toBe('accepted');
    await webhooks.waitFor((received) => received.length >= 2, 30_000, 'both webhooks');

    // The POST's trace, once the delivery of its consent.created has been exported too.
    const post = () =>
      otlp.spans.find(
        (span) =>
          span.service === 'sgw-gateway' &&
          span.kind === SERVER &&
          /^POST\b/.test(span.name) &&
          attribute(span, 'url.path', 'http.target').startsWith('/v1/consent-requests'),
      );
    const traceOf = (span: ReceivedSpan | undefined) =>
      span ? otlp.spans.filter((item) => item.traceId === span.traceId) : [];
    const deliveryIn = (trace: readonly ReceivedSpan[]) =>
      trace.find((span) => span.service === 'sgw-worker' && span.name === 'process webhook-delivery');
    await until(
      'the POST trace with its webhook delivery',
      () => {
        const trace = traceOf(post());
        const delivery = deliveryIn(trace);
        const ids = new Set(trace.map((span) => span.spanId));
        return (
          delivery !== undefined &&
          trace.some((span) => span.parentSpanId === delivery.spanId && isHttpCall(span)) &&
          // Spans arrive as they end: a parent still running would leave its children cut off.
          trace.every((span) => span.parentSpanId === undefined || ids.has(span.parentSpanId))
        );
      },
      { timeoutMs: 30_000 },
    );

    const root = post()!;
    const trace = traceOf(root);
    if (process.env.SGW_PRINT_TRACE === '1') console.log(traceTree(trace));
    // Every span hangs off the gateway's POST: nothing in the trace is cut off from it.
    for (const span of trace) expect(ancestry(span, trace).at(-1)).toBe(root);

    const job = trace.find((span) => span.service === 'sgw-worker' && span.name === 'process consent-create');
    expect(job).toBeDefined();
    const underJob = (span: ReceivedSpan) => ancestry(span, trace).includes(job!);
    const clientCalls = trace
      .filter((span) => span.kind === CLIENT && underJob(span))
      .map((span) => attribute(span, 'url.full', 'http.url'));
    expect(clientCalls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/token$/), // Maskinporten
        expect.stringMatching(/\/accessmanagement\/api\/v1\/enterprise\/consentrequests$/), // Altinn's create
      ]),
    );
    // The transition to `created` wrote consent.created; its delivery continues this trace.
    const transition = trace.find(
      (span) =>
        underJob(span) && /UPDATE consent_requests/.test(attribute(span, 'db.statement', 'db.query.text')),
    );
    expect(transition).toBeDefined();
    const delivery = deliveryIn(trace)!;
    const chain = ancestry(delivery, trace).map((span) => span.name);
    expect(chain).toEqual(expect.arrayContaining(['addBulk webhook-delivery', 'webhook-relay fan-out']));
    expect(ancestry(delivery, trace)).toContain(transition);
    const posted = trace.find((span) => span.parentSpanId === delivery.spanId && isHttpCall(span))!;
    expect(attribute(posted, 'url.full', 'http.url')).toBe(webhooks.url('/hook'));

    // And no span anywhere (both traces, every process) carries a fødselsnummer, a token, a key or a secret.
    const everything = content(otlp.spans).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      '',
    );
    expect(everything).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
    expect(everything).not.toContain(PERSON);
    expect(everything).not.toMatch(/Bearer\s+(?!\[REDACTED\])/i);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}/);
    for (const secret of [key, stack.adminKey, webhookSecret, 's3cr3t-in-the-query', 'sgw_test_']) {
      expect(everything).not.toContain(secret);
    }
  }, 120_000);
});
