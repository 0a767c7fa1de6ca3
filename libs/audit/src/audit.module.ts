import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log; needs the process's DataSource (PersistenceModule). */
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
