import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import type Redis from 'ioredis';
import { AltinnConsentClient, type AltinnClientOptions } from '@gw/altinn';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { AuditModule } from '@gw/audit';
import { EventsModule } from '@gw/events';
import { MaskinportenTokenService, TokenCacheReader, type TokenCacheReaderOptions } from '@gw/maskinporten';
import { Metrics } from '@gw/observability';
import { PersonalDataModule, type PersonalDataOptions } from '@gw/personal-data';
import { JobOutcomes, QueueModule, QueueName, REDIS_CONNECTION } from '@gw/queue';
import { TenantsModule } from '@gw/tenants';
import { ConsentJobs } from './consent-jobs';
import { ConsentRepository } from './consent.repository';
import { ConsentRequestsService } from './consent-requests.service';
import {
  CONSENT_TRACKING_OPTIONS,
  ConsentStatusScheduler,
  DEFAULT_TRACKING,
  type ConsentTrackingOptions,
} from './consent-status.scheduler';
import { ConsentSweeper } from './consent-sweeper';
import { ConsentUpstreamService } from './consent-upstream.service';
import { SubmissionSignals } from './submission-signals';

const CONSENT_QUEUES = [QueueName.ConsentCreate, QueueName.ConsentStatus, QueueName.ConsentToken] as const;

/**
 * The gateway's consent module: validate, store, enqueue and read; consent tokens from the shared token
 * cache. Needs PersistenceModule and QueueModule.forRoot in the process.
 */
@Module({})
export class ConsentModule {
  static register(options: {
    tokenCache: TokenCacheReaderOptions;
    /** Seals and opens the consent's `from` at rest (personalDataOptionsFrom(config)). */
    personalData: PersonalDataOptions;
  }): DynamicModule {
    return {
      module: ConsentModule,
      imports: [
        TenantsModule,
        AuditModule,
        EventsModule,
        QueueModule.registerQueues(...CONSENT_QUEUES),
        PersonalDataModule.register(options.personalData),
      ],
      providers: [
        ConsentRepository,
        ConsentRequestsService,
        {
          provide: TokenCacheReader,
          inject: [REDIS_CONNECTION],
          useFactory: (redis: Redis) => new TokenCacheReader(options.tokenCache, redis),
        },
        JobOutcomes,
        SubmissionSignals,
      ],
      exports: [ConsentRequestsService],
    };
  }
}

export interface ConsentWorkerModuleOptions {
  /** Modules providing `MaskinportenTokenService`, e.g. `MaskinportenModule.registerAsync(...)`. */
  imports?: ModuleMetadata['imports'];
  tokenService?: InjectionToken;
  altinn: AltinnClientOptions;
  tracking?: Partial<ConsentTrackingOptions>;
  /** Opens the consent's `from` for Altinn and the consent-token grant (personalDataOptionsFrom(config)). */
  personalData: PersonalDataOptions;
}

/** The worker's consent module: every upstream call for consents, and the status tracking jobs. */
@Module({})
export class ConsentWorkerModule {
  static register(options: ConsentWorkerModuleOptions): DynamicModule {
    return {
      module: ConsentWorkerModule,
      imports: [
        ...(options.imports ?? []),
        TenantsModule,
        QueueModule.registerQueues(QueueName.ConsentStatus, QueueName.ConsentCreate),
        PersonalDataModule.register(options.personalData),
      ],
      providers: [
        ConsentRepository,
        ConsentStatusScheduler,
        ConsentSweeper,
        ConsentUpstreamService,
        ConsentJobs,
        SubmissionSignals,
        {
          provide: AltinnConsentClient,
          inject: [
            { token: Metrics, optional: true },
            { token: CircuitBreakers, optional: true },
          ],
          useFactory: (metrics?: Metrics, breakers?: CircuitBreakers) =>
            new AltinnConsentClient({ ...options.altinn, metrics, breakers }),
        },
        { provide: CONSENT_TRACKING_OPTIONS, useValue: { ...DEFAULT_TRACKING, ...options.tracking } },
        ...(options.tokenService && options.tokenService !== MaskinportenTokenService
          ? [{ provide: MaskinportenTokenService, useExisting: options.tokenService }]
          : []),
      ],
      exports: [ConsentUpstreamService, ConsentStatusScheduler, ConsentSweeper, ConsentJobs],
    };
  }
}
