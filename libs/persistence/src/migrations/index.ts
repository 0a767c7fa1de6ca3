import { type MigrationInterface } from 'typeorm';
import { CreateTenantRegistry1764000000000 } from './1764000000000-CreateTenantRegistry';

/**
 * Every migration, oldest first (`<timestamp>-<PascalName>.ts`, each with `down`). Listed explicitly
 * rather than globbed so the build and the tests run exactly the same set.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [CreateTenantRegistry1764000000000];
