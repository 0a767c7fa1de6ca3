import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { AuditModule } from '@gw/audit';
import { QueueModule, QueueName } from '@gw/queue';
import { DELEGATION_TOKEN_SOURCE, DelegationCheckService } from './delegation-check.service';
import { DelegationCheckRestorer } from './delegation-check-restorer';
import { TenantOffboardingHooks } from './tenant-offboarding';
import { TenantStatusListeners } from './tenant-status-listeners';
import { TenantRepository } from './tenant.repository';
import { TenantsService } from './tenants.service';

/**
 * The tenant registry. Needs the process's DataSource (PersistenceModule) and BullMQ root
 * (QueueModule.forRoot).
 */
@Module({
  imports: [AuditModule, QueueModule.registerQueues(QueueName.DelegationCheck)],
  providers: [TenantsService, TenantRepository, TenantOffboardingHooks, TenantStatusListeners],
  exports: [TenantsService, TenantOffboardingHooks, TenantStatusListeners],
})
export class TenantsModule {}

export interface DelegationCheckModuleOptions {
  /** Modules providing the token source, e.g. `MaskinportenModule.register(...)`. */
  imports?: ModuleMetadata['imports'];
  /** Provider token of a `DelegationTokenSource`, e.g. `MaskinportenTokenService`. */
  tokenSource: InjectionToken;
}

/** The worker's side: `DelegationCheckService` over the process's Maskinporten token service. */
@Module({})
export class DelegationCheckModule {
  static register(options: DelegationCheckModuleOptions): DynamicModule {
    return {
      module: DelegationCheckModule,
      imports: [...(options.imports ?? []), QueueModule.registerQueues(QueueName.DelegationCheck)],
      providers: [
        TenantRepository,
        DelegationCheckService,
        // Registers with the schedule keeper: checks Redis lost come back from Postgres.
        DelegationCheckRestorer,
        { provide: DELEGATION_TOKEN_SOURCE, useExisting: options.tokenSource },
      ],
      exports: [DelegationCheckService],
    };
  }
}
