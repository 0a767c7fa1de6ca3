import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/**
 * The audit log; needs the process's DataSource (PersistenceModule). Global: every lib that acts on
 * behalf of a caller records through it, inside its own transaction.
 */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
