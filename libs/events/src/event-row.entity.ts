import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { type TenantId } from '@gw/identifiers';

/**
 * A row of `events`, the outbox and the tenants' feed, as the migrations create it
 * (libs/persistence/src/migrations); the schema drift spec fails when the two disagree. Writers leave
 * `position` empty; the sequencer stamps it from `events_position_seq` after commit, and it is the
 * event's public id. The NOTIFY trigger is the migrations' alone.
 */
@Entity('events')
@Unique('events_position', ['position'])
@Index('events_tenant_id_position', ['tenantId', 'position'], { where: 'position IS NOT NULL' })
@Index('events_unsequenced', ['id'], { where: 'position IS NULL' })
@Index('events_consent_request_id_type', ['consentRequestId', 'type'], {
  unique: true,
  where: 'consent_request_id IS NOT NULL',
})
export class EventRow {
  /** bigserial: pg hands it over as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'events_pkey' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  // By name, as below: libs/tenants and libs/consent are not below this lib.
  @ForeignKey('TenantRow', { name: 'events_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'consent_request_id', type: 'uuid', nullable: true })
  @ForeignKey('ConsentRequestRow', { name: 'events_consent_request_id_fkey' })
  consentRequestId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ type: 'bigint', nullable: true })
  position!: string | null;

  /**
   * The writing statement's W3C traceparent, read from its sqlcommenter comment by the default (written
   * as Postgres prints the migration's `substring(… from …)`, which is what TypeORM compares).
   */
  @Column({
    type: 'text',
    nullable: true,
    default: () =>
      `"substring"(current_query(), 'traceparent=''(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})''')`,
  })
  traceparent!: string | null;
}

/** The tables libs/events maps, for the process's DataSource. */
export const EVENTS_ENTITIES = [EventRow];
