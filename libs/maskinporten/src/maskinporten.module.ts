import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { CircuitBreakers } from '@gw/circuit-breaker';
import { Metrics } from '@gw/observability';
import { REDIS_CONNECTION } from '@gw/queue';
import { JwtSigner } from '@gw/signing';
import { MaskinportenTokenService, type MaskinportenOptions } from './maskinporten-token.service';

export const MASKINPORTEN_OPTIONS = Symbol('MASKINPORTEN_OPTIONS');

export interface MaskinportenModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: never[]) => MaskinportenOptions | Promise<MaskinportenOptions>;
}

/**
 * Provides `MaskinportenTokenService` over the process's `JwtSigner` (SigningModule) and Redis
 * connection (QueueModule's `REDIS_CONNECTION`).
 */
@Module({})
export class MaskinportenModule {
  static register(options: MaskinportenOptions): DynamicModule {
    return MaskinportenModule.registerAsync({ useFactory: () => options });
  }

  static registerAsync(options: MaskinportenModuleAsyncOptions): DynamicModule {
    return {
      module: MaskinportenModule,
      imports: options.imports ?? [],
      providers: [
        { provide: MASKINPORTEN_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: MaskinportenTokenService,
          inject: [
            MASKINPORTEN_OPTIONS,
            JwtSigner,
            REDIS_CONNECTION,
            { token: Metrics, optional: true },
            { token: CircuitBreakers, optional: true },
          ],
          useFactory: (
            moduleOptions: MaskinportenOptions,
            signer: JwtSigner,
            redis: Redis,
            metrics?: Metrics,
            breakers?: CircuitBreakers,
          ) => new MaskinportenTokenService(moduleOptions, signer, redis, metrics, breakers),
        },
      ],
      exports: [MaskinportenTokenService],
    };
  }
}
