import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { type TenantId } from '@gw/identifiers';
import { TenantRow } from '@gw/tenants';

/** A row of `api_keys` as the migrations create it: only the SHA-256 of the key is kept. */
@Entity('api_keys')
@Index('api_keys_prefix', ['prefix'], { unique: true })
@Index('api_keys_tenant_id_created_at', ['tenantId', 'createdAt', 'id'])
@Check('api_keys_hash_check', 'octet_length(hash) = 32')
export class ApiKeyRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'api_keys_pkey' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantRow, { name: 'api_keys_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ type: 'text' })
  prefix!: string;

  /** SHA-256 of the key; never selected by the entity, only by the login lookup's own SQL. */
  @Column({ type: 'bytea', select: false })
  hash!: Buffer;

  @Column({ type: 'text', default: '' })
  name!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

/** The tables libs/auth maps, for the process's DataSource. */
export const AUTH_ENTITIES = [ApiKeyRow];
