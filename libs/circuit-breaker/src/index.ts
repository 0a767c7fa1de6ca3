export { CircuitBreakerModule } from './circuit-breaker.module';
export {
  CIRCUIT_BREAKER_POLICY,
  CircuitBreakers,
  type BreakerPass,
  type CallStatus,
  type JobIntake,
  type UpstreamCallRecorder,
  type UpstreamStatus,
} from './circuit-breakers.service';
export {
  callVerdict,
  DEFAULT_BREAKER_POLICY,
  UPSTREAMS,
  type BreakerPhase,
  type BreakerPolicy,
  type CallVerdict,
  type UpstreamName,
} from './domain/breaker-state';
