import { type DynamicModule, Module } from '@nestjs/common';
import { type SimulatorConfig } from '@gw/config';
import { SimAltinnModule } from './altinn/altinn.module';
import { SimControlModule } from './control/control.module';
import { SimCoreModule } from './core/core.module';
import { SimKmsModule } from './kms/kms.module';
import { SimMaskinportenModule } from './maskinporten/maskinporten.module';

@Module({})
export class SimulatorModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    return {
      module: SimulatorModule,
      imports: [
        SimCoreModule.forRoot(config),
        SimMaskinportenModule,
        SimAltinnModule,
        SimKmsModule,
        SimControlModule,
      ],
    };
  }
}
