import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type RecentCountField } from './domain/recent-counts';

export type Upstream = 'maskinporten' | 'altinn' | 'kms';

/** One call to an upstream, as the client that made it saw it. */
export interface UpstreamCall {
  upstream: Upstream;
  /** `token` (Maskinporten), `create` / `get` / `events` (Altinn), `sign` (KMS). */
  operation: string;
  outcome: 'ok' | 'error';
  /** HTTP status, or `timeout` / `network` when no answer came. */
  status?: number | 'timeout' | 'network';
  /** The upstream's own code (MP-012, AM-00005, `invalid_grant`, a KMS exception) or our error code. */
  code?: string;
  seconds?: number;
}

export type TokenCacheResult = 'cache' | 'fetched' | 'waited';
/** A delivery attempt: delivered, failed (retried later), dead (retries exhausted), or the endpoint disabled. */
export type WebhookOutcome = 'delivered' | 'failed' | 'dead' | 'disabled';
export type JobOutcome = 'completed' | 'failed' | 'delayed';
/** Where an API key's credential came from: the in-process cache, or Postgres. */
export type ApiKeyLookupResult = 'cache' | 'database';

/** The counts BullMQ's `getJobCounts` gives for the states we export. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'paused'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export type QueueDepthSource = () => Promise<
  {
    queue: string;
    counts: Partial<Record<QueueState, number>>;
    /** How long the oldest waiting job has been due; absent when none waits. */
    oldestWaitingSeconds?: number;
  }[]
>;

/** A consent that reached a status: counted per tenant, and the person's answer timed from creation. */
export interface ConsentOutcome {
  tenantId: string;
  status: string;
  createdAt: Date;
  /** When the person answered (accepted: Altinn's `consented` time; rejected: when it was seen). */
  answeredAt?: Date;
}

/** Where the deployment-wide recent counts go (`RecentCounts`). */
export interface RecentCountSink {
  add(field: RecentCountField): void;
}

/** The statuses that are the person's answer to a request. */
const ANSWERS = new Set(['accepted', 'rejected']);

/**
 * At most this many tenants get a label of their own: tenant ids come from the registry, never from a
 * request, so this only caps a registry far larger than any gateway serves; the rest share `other`.
 */
export const MAX_TENANT_LABELS = 1_000;
/** At most this many token scopes get a label of their own; a consent token's scope is the tenant's choice. */
export const MAX_SCOPE_LABELS = 50;

/** Values of one label, at most `max` distinct ones: the first `max` seen keep theirs, later ones are `other`. */
class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

/**
 * What libs report. Domain libs take this (optionally) and never see prom-client; `Metrics` implements it.
 */
export interface MetricsRecorder {
  upstreamCall(call: UpstreamCall): void;
  /** `scope`: the token's scopes, space-separated, as configured (never a consent's details). */
  tokenCache(result: TokenCacheResult, scope?: string): void;
  consentOutcome(outcome: ConsentOutcome): void;
  webhookDelivery(outcome: WebhookOutcome): void;
  apiKeyLookup(result: ApiKeyLookupResult): void;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200];
/** A person answers within minutes or within weeks. */
const ANSWER_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400];

/**
 * The process's Prometheus registry and every metric of the service (HTTP, queue depth and job
 * latency per queue, upstream calls and errors by code, token cache hits, webhook outcomes). One registry
 * per instance, so two apps in one test process do not collide.
 */
export class Metrics implements MetricsRecorder {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly jobDuration: Histogram<'queue' | 'outcome'>;
  private readonly jobWait: Histogram<'queue'>;
  private readonly upstreamCalls: Counter<'upstream' | 'operation' | 'outcome' | 'status' | 'code'>;
  private readonly upstreamErrors: Counter<'upstream' | 'operation' | 'code'>;
  private readonly upstreamDuration: Histogram<'upstream' | 'operation' | 'outcome'>;
  private readonly tokenCacheResults: Counter<'result' | 'scope'>;
  private readonly consentOutcomes: Counter<'tenant' | 'status'>;
  private readonly consentAnswer: Histogram<'tenant' | 'status'>;
  private readonly tenants = new BoundedLabel(MAX_TENANT_LABELS);
  private readonly scopes = new BoundedLabel(MAX_SCOPE_LABELS);
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly apiKeyLookups: Counter<'result'>;
  private queueDepthSource: QueueDepthSource | undefined;
  private recentCounts: RecentCountSink | undefined;

  constructor(options: { service: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'sgw_' });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'sgw_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'sgw_http_request_duration_seconds',
      help: 'HTTP request duration, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'sgw_job_duration_seconds',
      help: 'Time a worker spent on one run of a job, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.jobWait = new Histogram({
      name: 'sgw_job_wait_seconds',
      help: 'Time from when a job was due (added, or its delay ran out) to its first run, by queue',
      labelNames: ['queue'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.upstreamCalls = new Counter({
      name: 'sgw_upstream_calls_total',
      help: 'Calls to Maskinporten, Altinn and KMS, by upstream, operation, outcome, HTTP status and upstream code',
      labelNames: ['upstream', 'operation', 'outcome', 'status', 'code'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'sgw_upstream_errors_total',
      help: 'Failed upstream calls, by upstream, operation and code',
      labelNames: ['upstream', 'operation', 'code'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'sgw_upstream_call_duration_seconds',
      help: 'Upstream call duration, by upstream, operation and outcome',
      labelNames: ['upstream', 'operation', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.tokenCacheResults = new Counter({
      name: 'sgw_token_cache_requests_total',
      help: 'Maskinporten tokens asked of the shared cache, by result (cache = hit, fetched, waited = another process fetched it) and scope',
      labelNames: ['result', 'scope'],
      registers,
    });
    this.consentOutcomes = new Counter({
      name: 'sgw_consent_outcomes_total',
      help: 'Consent requests that reached a status (created, accepted, rejected, failed, expired, revoked), by tenant and status',
      labelNames: ['tenant', 'status'],
      registers,
    });
    this.consentAnswer = new Histogram({
      name: 'sgw_consent_answer_seconds',
      help: "Time from a consent request's creation to the person's answer, by tenant and answer (accepted, rejected)",
      labelNames: ['tenant', 'status'],
      buckets: ANSWER_BUCKETS,
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'sgw_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome: delivered, failed (retried later), dead (retries exhausted), disabled (endpoint disabled)',
      labelNames: ['outcome'],
      registers,
    });
    this.apiKeyLookups = new Counter({
      name: 'sgw_api_key_lookups_total',
      help: 'Tenant API keys looked up to authenticate a request, by result: cache (in process) or database',
      labelNames: ['result'],
      registers,
    });
    const source = () => this.queueDepthSource;
    // One read of the queues per scrape for both gauges: prom-client starts every collect in the order
    // the metrics were registered, so the depth gauge reads and leaves its reading for the age gauge.
    let reading: ReturnType<QueueDepthSource> | undefined;
    new Gauge({
      name: 'sgw_queue_jobs',
      help: 'Jobs in each BullMQ queue, by state (read at scrape time)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const read = source();
        if (!read) return;
        this.reset();
        for (const { queue, counts } of await (reading = read())) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'sgw_queue_oldest_job_age_seconds',
      help: 'How long the oldest waiting job of each BullMQ queue has been due, 0 when none waits (read at scrape time)',
      labelNames: ['queue'],
      registers,
      async collect() {
        const pending = reading;
        reading = undefined;
        if (!pending) return;
        this.reset();
        for (const { queue, oldestWaitingSeconds } of await pending) {
          this.set({ queue }, oldestWaitingSeconds ?? 0);
        }
      },
    });
  }

  /** Where `sgw_queue_jobs` and `sgw_queue_oldest_job_age_seconds` read the queues at each scrape. */
  setQueueDepthSource(source: QueueDepthSource): void {
    this.queueDepthSource = source;
  }

  /** Also counts upstream calls and token cache results for the deployment-wide recent view. */
  setRecentCounts(sink: RecentCountSink): void {
    this.recentCounts = sink;
  }

  httpRequest(request: { method: string; route: string; status: number }, seconds: number): void {
    const labels = { method: request.method, route: request.route, status: String(request.status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  jobRun(queue: string, outcome: JobOutcome, seconds: number): void {
    this.jobDuration.observe({ queue, outcome }, seconds);
  }

  jobWaited(queue: string, seconds: number): void {
    this.jobWait.observe({ queue }, Math.max(0, seconds));
  }

  upstreamCall(call: UpstreamCall): void {
    const code = call.code ?? '';
    this.upstreamCalls.inc({
      upstream: call.upstream,
      operation: call.operation,
      outcome: call.outcome,
      status: call.status === undefined ? '' : String(call.status),
      code,
    });
    this.recentCounts?.add(`upstream|${call.upstream}|${call.outcome}`);
    if (call.outcome === 'error') {
      this.upstreamErrors.inc({ upstream: call.upstream, operation: call.operation, code });
    }
    if (call.seconds !== undefined) {
      this.upstreamDuration.observe(
        { upstream: call.upstream, operation: call.operation, outcome: call.outcome },
        call.seconds,
      );
    }
  }

  tokenCache(result: TokenCacheResult, scope = ''): void {
    const scopeLabel = scope === '' ? '' : this.scopes.of(scope);
    this.tokenCacheResults.inc({ result, scope: scopeLabel });
    this.recentCounts?.add(`token|${scopeLabel || 'unnamed'}|${result}`);
  }

  consentOutcome(outcome: ConsentOutcome): void {
    const labels = { tenant: this.tenants.of(outcome.tenantId), status: outcome.status };
    this.consentOutcomes.inc(labels);
    if (ANSWERS.has(outcome.status) && outcome.answeredAt !== undefined) {
      const seconds = (outcome.answeredAt.getTime() - outcome.createdAt.getTime()) / 1000;
      this.consentAnswer.observe(labels, Math.max(0, seconds));
    }
  }

  webhookDelivery(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  apiKeyLookup(result: ApiKeyLookupResult): void {
    this.apiKeyLookups.inc({ result });
  }

  /** The exposition text for `/metrics`. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
