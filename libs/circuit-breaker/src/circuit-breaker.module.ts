import { Global, Module } from '@nestjs/common';
import { READINESS_DETAILS } from '@gw/observability';
import { CircuitBreakers } from './circuit-breakers.service';

/**
 * The upstreams' shared circuit breakers. Needs the process's Redis connection (QueueModule.forRoot);
 * adds their states to the readiness answer and, where `Metrics` exists, to `/metrics`. Global, so the
 * upstream clients' modules find it (optionally) wherever the process imports it.
 */
@Global()
@Module({
  providers: [CircuitBreakers, { provide: READINESS_DETAILS, useExisting: CircuitBreakers }],
  exports: [CircuitBreakers, READINESS_DETAILS],
})
export class CircuitBreakerModule {}
