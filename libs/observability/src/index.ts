export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export {
  READINESS_DETAILS,
  ReadinessService,
  type CheckResult,
  type Readiness,
  type ReadinessDetailsSource,
} from './readiness.service';
export {
  Metrics,
  QUEUE_STATES,
  type ApiKeyLookupResult,
  type ConsentOutcome,
  type JobOutcome,
  type MetricsRecorder,
  type QueueDepthSource,
  type QueueState,
  type TokenCacheResult,
  type Upstream,
  type UpstreamCall,
  type WebhookOutcome,
} from './metrics';
export { QueueInspector } from './queue-inspector';
export { RecentCounts, RECENT_COUNTS_MAX_MINUTES, type RecentTraffic } from './recent-counts';
export { type TokenCacheTraffic, type UpstreamTraffic } from './domain/recent-counts';
export { installHttpMetrics } from './http-metrics';
export { installBodyTracing, type TraceLogger } from './http-trace';
export { instrumentProcessor, instrumentBullWorkers } from './job-instrumentation';
export { createRedactingLogger, loggerParams, type LoggingOptions } from './logging';
export { runWithLogContext, currentLogContext, type LogContext } from './log-context';
export { type RequestLogFields } from './request-log-context.interceptor';
export {
  mountQueueBoard,
  queueBoardAction,
  QUEUE_BOARD_PATH,
  type QueueBoardAction,
  type QueueBoardOptions,
} from './queue-board';
export { adminKeyFromAuthorization } from './domain/admin-credentials';
// The redaction rules live in libs/redaction (spans use them too); the apps keep importing them from here.
export * from '@gw/redaction';
