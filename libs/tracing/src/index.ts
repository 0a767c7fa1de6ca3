export { startTracing, type TracingOptions } from './tracing';
export {
  bullmqTelemetry,
  currentTraceparent,
  inStoredTrace,
  nameRequestSpan,
  tracingIsOn,
} from './trace-context';
export { redactSpanAttributes } from './domain/span-redaction';
