import { Module } from '@nestjs/common';
import { KmsController } from './kms.controller';
import { KmsRequestGuard } from './kms-request.guard';
import { KmsService } from './kms.service';

/** The simulated AWS KMS (docs/upstream-contract.md §3), over the key store in SimCoreModule. */
@Module({
  controllers: [KmsController],
  providers: [KmsService, KmsRequestGuard],
})
export class SimKmsModule {}
