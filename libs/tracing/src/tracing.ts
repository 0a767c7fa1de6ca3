/* eslint-disable @typescript-eslint/no-require-imports --
 * The SDK and its instrumentations are required only once tracing is on, and synchronously: they must
 * patch http, undici, pg and ioredis before the app loads those, and cost nothing when tracing is off. */
import type * as OtelApi from '@opentelemetry/api';
import type * as OtlpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as BullmqOtel from 'bullmq-otel';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as HttpInstr from '@opentelemetry/instrumentation-http';
import type * as UndiciInstr from '@opentelemetry/instrumentation-undici';
import type * as PgInstr from '@opentelemetry/instrumentation-pg';
import type * as IORedisInstr from '@opentelemetry/instrumentation-ioredis';
import type * as OtelResources from '@opentelemetry/resources';
import type * as OtelSdk from '@opentelemetry/sdk-trace-node';
import type { Telemetry } from 'bullmq';
import { isHousekeepingSpan } from './domain/span-redaction';
import { RedactingSpanProcessor } from './redacting-span-processor';

export interface TracingOptions {
  /** `service.name` of every span (`sgw-gateway`, `sgw-worker`); OTEL_SERVICE_NAME overrides it. */
  service: string;
  /**
   * The process's environment. OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns
   * tracing on; the exporter reads the other OTEL_* variables itself (headers, timeout, batch delay).
   */
  environment: Readonly<Record<string, string | undefined>>;
}

/** What the rest of the process uses once tracing is on. */
export interface ActiveTracing {
  api: typeof OtelApi;
  tracer: OtelApi.Tracer;
  /** BullMQ's telemetry: spans for add and process, and the trace context carried with each job. */
  bullmq: Telemetry;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

let active: ActiveTracing | undefined;

/** The running tracing, or `undefined` when it is off (the default). */
export function activeTracing(): ActiveTracing | undefined {
  return active;
}

/** Routes nobody needs a trace of: probes and scrapes, many a minute. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\/|$|\?))/;

/**
 * Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing otherwise (not even
 * loading the SDK). Call before anything else is loaded: the instrumentations patch http, undici, pg and
 * ioredis as they are required. Answers whether tracing is on.
 */
export function startTracing(options: TracingOptions): boolean {
  if (active) return true;
  const env = options.environment;
  const endpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT)?.trim();
  if (!endpoint) return false;
  if (!URL.canParse(endpoint)) {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL, not ${JSON.stringify(endpoint)}`);
  }
  const api = require('@opentelemetry/api') as typeof OtelApi;
  const sdk = require('@opentelemetry/sdk-trace-node') as typeof OtelSdk;
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof OtelResources;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpExporter;

  const parentBased = new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || options.service }),
    sampler: {
      shouldSample: (context, traceId, name, kind, attributes, links) =>
        isHousekeepingSpan(name)
          ? { decision: sdk.SamplingDecision.NOT_RECORD }
          : parentBased.shouldSample(context, traceId, name, kind, attributes, links),
      toString: () => 'ParentBased(AlwaysOn) without BullMQ housekeeping',
    },
    // OTLP/HTTP with JSON bodies, to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces.
    spanProcessors: [new RedactingSpanProcessor(new sdk.BatchSpanProcessor(new OTLPTraceExporter()))],
  });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  registerInstrumentations();
  const { BullMQOtel } = require('bullmq-otel') as typeof BullmqOtel;
  active = {
    api,
    tracer: api.trace.getTracer('samtykke-gateway'),
    bullmq: new BullMQOtel('samtykke-gateway'),
    shutdown: () => provider.shutdown(),
  };
  return true;
}

/**
 * The maintained instrumentations, configured so no span carries personal data or a secret: Redis
 * commands by name only (their arguments hold job data and cache entries), SQL with its placeholders
 * (never the values, the pg instrumentation's default), no headers; and client and database spans only
 * inside a trace, never as roots of their own (a worker's polling would flood the collector).
 */
function registerInstrumentations(): void {
  const { registerInstrumentations: register } =
    require('@opentelemetry/instrumentation') as typeof Instrumentation;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof HttpInstr;
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof UndiciInstr;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof PgInstr;
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof IORedisInstr;
  register({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // sqlcommenter: each statement ends in `/*traceparent='…'*/`, which the events table keeps
      // (libs/persistence TraceEvents) so a webhook delivery continues its event's trace.
      new PgInstrumentation({ requireParentSpan: true, addSqlCommenterCommentToQueries: true }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
}
