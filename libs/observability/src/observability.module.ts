import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

/** Health probes (`/health/live`, `/health/ready`) for the gateway and the worker. */
@Module({ controllers: [HealthController], providers: [ReadinessService], exports: [ReadinessService] })
export class ObservabilityModule {}
