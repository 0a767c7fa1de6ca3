import { Module } from '@nestjs/common';
import { AltinnConsentController } from './altinn-consent.controller';
import { AltinnConsentService } from './altinn-consent.service';

/** The simulated Altinn enterprise consent API (docs/upstream-contract.md §2) over the shared core state. */
@Module({ controllers: [AltinnConsentController], providers: [AltinnConsentService] })
export class SimAltinnModule {}
