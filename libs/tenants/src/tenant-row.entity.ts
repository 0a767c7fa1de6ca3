import { Check, Column, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { type TenantId } from '@gw/identifiers';
import { type TenantStatus } from './domain/tenant-status';
import { type ScopeError } from './tenant.entity';

/**
 * A row of `tenants` as the migrations create it (libs/persistence/src/migrations); the schema drift spec
 * fails when the two disagree.
 */
@Entity('tenants')
@Unique('tenants_org_number_key', ['orgNumber'])
@Check('tenants_status_check', `status IN ('active', 'suspended', 'offboarded')`)
export class TenantRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'tenants_pkey' })
  id!: TenantId;

  @Column({ name: 'org_number', type: 'char', length: 9 })
  orgNumber!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'active' })
  status!: TenantStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A row of `tenant_scopes`: one scope a tenant delegated, and its last delegation check. */
@Entity('tenant_scopes')
export class TenantScopeRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid', primaryKeyConstraintName: 'tenant_scopes_pkey' })
  @ForeignKey(() => TenantRow, { name: 'tenant_scopes_tenant_id_fkey' })
  tenantId!: TenantId;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'tenant_scopes_pkey' })
  scope!: string;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError!: ScopeError | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** The tables libs/tenants maps, for the process's DataSource. */
export const TENANTS_ENTITIES = [TenantRow, TenantScopeRow];
