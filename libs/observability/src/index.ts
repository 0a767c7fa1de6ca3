export { ObservabilityModule } from './observability.module';
export { ReadinessService, type Readiness, type CheckResult } from './readiness.service';
