import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { type AuditDetails } from './audit.entity';

/**
 * A row of `audit_log` as the migrations create it. TypeORM compares an index by its name, columns and
 * uniqueness and method only: the action index's text_pattern_ops and the append-only trigger are the
 * migrations' alone.
 */
@Entity('audit_log')
@Index('audit_log_tenant_id_id', ['tenantId', 'id'])
@Index('audit_log_actor_id', ['actor', 'id'])
@Index('audit_log_action_id', ['action', 'id'])
@Index('audit_log_target_id', ['target', 'id'])
@Index('audit_log_occurred_at', ['occurredAt'], { type: 'brin' })
export class AuditLogRow {
  /** bigserial: pg hands it over as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  actor!: string;

  // By name: libs/tenants is a layer above this lib.
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  @ForeignKey('TenantRow', { name: 'audit_log_tenant_id_fkey' })
  tenantId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: AuditDetails;
}

/** The tables libs/audit maps, for the process's DataSource. */
export const AUDIT_ENTITIES = [AuditLogRow];
