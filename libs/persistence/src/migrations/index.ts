import { type MigrationInterface } from 'typeorm';
import { CreateTenantRegistry1764000000000 } from './1764000000000-CreateTenantRegistry';
import { CreateApiKeys1764100000000 } from './1764100000000-CreateApiKeys';
import { CreateTenantEvents1764100001000 } from './1764100001000-CreateTenantEvents';

/**
 * Every migration, oldest first (`<timestamp>-<PascalName>.ts`, each with `down`). Listed explicitly
 * rather than globbed so the build and the tests run exactly the same set.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateTenantRegistry1764000000000,
  CreateApiKeys1764100000000,
  CreateTenantEvents1764100001000,
];
