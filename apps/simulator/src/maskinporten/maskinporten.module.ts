import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MaskinportenController } from './maskinporten.controller';
import { MaskinportenTokenService } from './maskinporten-token.service';
import { TokenMediaTypeFilter } from './token-media-type.filter';

/** The simulated Maskinporten (docs/upstream-contract.md §1) over the shared core state. */
@Module({
  controllers: [MaskinportenController],
  providers: [MaskinportenTokenService, { provide: APP_FILTER, useClass: TokenMediaTypeFilter }],
})
export class SimMaskinportenModule {}
