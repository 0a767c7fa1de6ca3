import { Module } from '@nestjs/common';
import { ControlController } from './control.controller';
import { SeedService } from './seed.service';

@Module({ controllers: [ControlController], providers: [SeedService], exports: [SeedService] })
export class SimControlModule {}
