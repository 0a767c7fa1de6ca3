import { type MigrationInterface } from 'typeorm';
import { CreateTenantRegistry1764000000000 } from './1764000000000-CreateTenantRegistry';
import { CreateApiKeys1764100000000 } from './1764100000000-CreateApiKeys';
import { CreateConsentRequests1764300000000 } from './1764300000000-CreateConsentRequests';
import { CreateWebhooks1764400000000 } from './1764400000000-CreateWebhooks';
import { SequenceEvents1764500000000 } from './1764500000000-SequenceEvents';
import { IndexAuditLogFilters1764700000000 } from './1764700000000-IndexAuditLogFilters';
import { EncryptConsentParties1764800000000 } from './1764800000000-EncryptConsentParties';
import { TraceEvents1764950000000 } from './1764950000000-TraceEvents';

/**
 * Every migration, oldest first (`<timestamp>-<PascalName>.ts`, each with `down`). Listed explicitly
 * rather than globbed so the build and the tests run exactly the same set.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateTenantRegistry1764000000000,
  CreateApiKeys1764100000000,
  CreateConsentRequests1764300000000,
  CreateWebhooks1764400000000,
  SequenceEvents1764500000000,
  IndexAuditLogFilters1764700000000,
  EncryptConsentParties1764800000000,
  TraceEvents1764950000000,
];
