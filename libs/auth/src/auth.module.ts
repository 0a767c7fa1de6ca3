import { type DynamicModule, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AuditModule } from '@gw/audit';
import { REDIS_CONNECTION } from '@gw/queue';
import { RateLimiter } from '@gw/rate-limit';
import { TenantsModule } from '@gw/tenants';
import { AdminAuthService } from './admin-auth.service';
import { ApiKeyCredentials } from './api-key-credentials';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { AdminKeyGuard, TenantKeyGuard } from './auth.guards';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { LastUsedRecorder } from './last-used-recorder';

/**
 * Tenant API keys, admin keys and the two guards. Needs the process's DataSource, and QueueModule for
 * Redis: the credential cache hears invalidations on a channel under the queue prefix.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [TenantsModule, AuditModule],
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        {
          provide: RateLimiter,
          inject: [REDIS_CONNECTION],
          useFactory: (redis: Redis) =>
            options.rateLimit ? new RateLimiter(redis, options.rateLimit) : null,
        },
        ApiKeyRepository,
        ApiKeyCredentials,
        LastUsedRecorder,
        ApiKeysService,
        AdminAuthService,
        TenantKeyGuard,
        AdminKeyGuard,
      ],
      exports: [ApiKeysService, AdminAuthService, TenantKeyGuard, AdminKeyGuard, RateLimiter],
    };
  }
}
