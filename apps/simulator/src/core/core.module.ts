import { join } from 'node:path';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type SimulatorConfig } from '@gw/config';
import { ConsentStore } from './consent-store';
import { FaultInjector } from './fault-injector';
import { IssuerKey } from './issuer-key';
import { KmsKeyStore } from './kms-key-store';
import { SIM_CONFIG } from './sim-config';
import { SimClock } from './sim-clock';
import { SimEnvironment } from './sim-environment';
import { SimRegistry } from './sim-registry';
import { SimStats } from './sim-stats';

/** State shared by the simulated upstreams: clock, registry, consents, KMS keys, faults and counters. */
@Global()
@Module({})
export class SimCoreModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    const providers = [
      { provide: SIM_CONFIG, useValue: config },
      SimClock,
      SimEnvironment,
      SimRegistry,
      ConsentStore,
      SimStats,
      FaultInjector,
      {
        provide: KmsKeyStore,
        useFactory: () =>
          new KmsKeyStore(join(config.SIMULATOR_DATA_DIR, 'kms-keys.json'), config.SIMULATOR_KMS_REGION),
      },
      { provide: IssuerKey, useFactory: () => IssuerKey.create() },
    ];
    return {
      module: SimCoreModule,
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
