import type { Telemetry } from 'bullmq';
import { activeTracing } from './tracing';

/** Whether spans are recorded and exported (OTEL_EXPORTER_OTLP_ENDPOINT was set at start). */
export function tracingIsOn(): boolean {
  return activeTracing() !== undefined;
}

/**
 * The W3C `traceparent` of the span running now, to store with work that another process picks up later
 * (an outbox event); `undefined` when tracing is off or no span is running.
 */
export function currentTraceparent(): string | undefined {
  const tracing = activeTracing();
  if (!tracing) return undefined;
  const carrier: { traceparent?: string } = {};
  tracing.api.propagation.inject(tracing.api.context.active(), carrier);
  return carrier.traceparent;
}

/**
 * Runs `work` in a span named `name` that continues the trace of `traceparent` (stored earlier with
 * `currentTraceparent`) and links to the span running now: a batch (the outbox relay) hands each item on
 * inside the trace that produced it. Without tracing, or without a `traceparent`, just runs `work`.
 */
export async function inStoredTrace<T>(
  traceparent: string | null | undefined,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const tracing = activeTracing();
  if (!tracing || !traceparent) return work();
  const { api, tracer } = tracing;
  const current = api.trace.getSpanContext(api.context.active());
  const parent = api.propagation.extract(api.ROOT_CONTEXT, { traceparent });
  return tracer.startActiveSpan(
    name,
    { kind: api.SpanKind.INTERNAL, links: current ? [{ context: current }] : [] },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: api.SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Names the request's server span after its route template (`POST /v1/consent-requests/:id`, never the
 * id itself), which only the framework knows. Call while the request is routed but not yet answered.
 */
export function nameRequestSpan(method: string, route: string): void {
  const span = activeTracing()?.api.trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * BullMQ's telemetry for queues and workers (`telemetry` of their options): a span for each add and each
 * run, with the trace context carried in the job itself so a job's run continues the trace that added
 * it. `undefined` when tracing is off.
 */
export function bullmqTelemetry(): Telemetry | undefined {
  return activeTracing()?.bullmq;
}
