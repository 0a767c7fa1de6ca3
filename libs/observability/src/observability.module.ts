import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { createRedactingLogger, loggerParams, logProcessWarnings, type LoggingOptions } from './logging';
import { instrumentBullWorkers } from './job-instrumentation';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { QueueInspector } from './queue-inspector';
import { ReadinessService } from './readiness.service';
import { RecentCounts } from './recent-counts';
import {
  REQUEST_LOG_FIELDS,
  RequestLogContextInterceptor,
  type RequestLogFields,
} from './request-log-context.interceptor';

export interface ObservabilityOptions extends LoggingOptions {
  /** Gateway: fields for the request's log lines once guards have run (the tenant id). */
  requestLogFields?: RequestLogFields;
  /** Worker: queue and job id in the log lines of each job, and job timings, for every `@Processor`. */
  instrumentJobs?: boolean;
  /**
   * Export the queues' gauges (`sgw_queue_jobs`, `sgw_queue_oldest_job_age_seconds`) from this process.
   * Default: only where no jobs run (the gateway), so the queues are counted by one kind of process and
   * are still reported while every worker is down (docs/observability.md "Queue gauges").
   */
  queueMetrics?: boolean;
}

/**
 * Health probes (`/health/live`, `/health/ready`), `/metrics`, and pino logging with redaction, for the
 * gateway and the worker. Global: libs inject `Metrics` (optionally) to report what they do.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createRedactingLogger(options);
    logProcessWarnings(logger);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerParams(options, logger))],
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessService,
        QueueInspector,
        RecentCounts,
        {
          provide: Metrics,
          inject: [QueueInspector, RecentCounts],
          useFactory: (queues: QueueInspector, recentCounts: RecentCounts) => {
            const metrics = new Metrics({ service: options.service });
            metrics.setRecentCounts(recentCounts);
            if (options.queueMetrics ?? !options.instrumentJobs) metrics.setQueueDepthSource(queues.depth);
            // Before BullModule registers the workers (on module init): providers are all built first.
            if (options.instrumentJobs) instrumentBullWorkers(metrics);
            return metrics;
          },
        },
        ...(options.requestLogFields
          ? [
              { provide: REQUEST_LOG_FIELDS, useValue: options.requestLogFields },
              { provide: APP_INTERCEPTOR, useClass: RequestLogContextInterceptor },
            ]
          : []),
      ],
      exports: [ReadinessService, Metrics, QueueInspector, RecentCounts],
    };
  }
}
