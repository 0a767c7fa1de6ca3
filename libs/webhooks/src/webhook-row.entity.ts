import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { EventRow } from '@gw/events';
import { type TenantId } from '@gw/identifiers';
import { TenantRow } from '@gw/tenants';
import { type WebhookPayload } from './domain/webhook-payload';
import { type DeliveryStatus, type DisabledReason } from './webhook-endpoint.entity';

/**
 * A row of `webhook_endpoints` as the migrations create it (libs/persistence/src/migrations); the schema
 * drift spec fails when the two disagree. Secrets are AES-256-GCM sealed (iv ‖ tag ‖ ciphertext).
 */
@Entity('webhook_endpoints')
@Index('webhook_endpoints_tenant_id_id', ['tenantId', 'id'])
@Index('webhook_endpoints_tenant_id_enabled', ['tenantId'], { where: 'enabled' })
@Check(
  'webhook_endpoints_disabled_reason_check',
  `disabled_reason IN ('manual', 'gone', 'failing', 'offboarded')`,
)
export class WebhookEndpointRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'webhook_endpoints_pkey' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantRow, { name: 'webhook_endpoints_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ type: 'text' })
  url!: string;

  /** Empty: every webhook event type. */
  @Column({ name: 'event_types', type: 'text', array: true, default: () => "'{}'" })
  eventTypes!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  // The sealed secrets are never selected by the entity, only by the delivery path's own SQL.
  @Column({ name: 'secret_ciphertext', type: 'bytea', select: false })
  secretCiphertext!: Buffer;

  @Column({ name: 'previous_secret_ciphertext', type: 'bytea', nullable: true, select: false })
  previousSecretCiphertext!: Buffer | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: DisabledReason | null;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A row of `webhook_deliveries`: one event (by its public position) for one endpoint. */
@Entity('webhook_deliveries')
@Unique('webhook_deliveries_event_id_endpoint_id', ['eventId', 'endpointId'])
@Index('webhook_deliveries_tenant_id_endpoint_id', ['tenantId', 'endpointId', 'status', 'createdAt', 'id'])
@Index('webhook_deliveries_tenant_id_endpoint_id_id', ['tenantId', 'endpointId', 'id'])
@Index('webhook_deliveries_open', ['nextAttemptAt'], { where: `status IN ('pending', 'failed')` })
@Check('webhook_deliveries_status_check', `status IN ('pending', 'succeeded', 'failed', 'dead')`)
export class WebhookDeliveryRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantRow, { name: 'webhook_deliveries_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  @ForeignKey(() => WebhookEndpointRow, { name: 'webhook_deliveries_endpoint_id_fkey', onDelete: 'CASCADE' })
  endpointId!: string;

  /** The event's position; null for test events, which are not in the outbox. */
  @Column({ name: 'event_id', type: 'bigint', nullable: true })
  @ForeignKey(() => EventRow, 'position', { name: 'webhook_deliveries_event_id_fkey' })
  eventId!: string | null;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  /** The exact JSON body sent on every attempt. */
  @Column({ type: 'jsonb' })
  payload!: WebhookPayload;

  @Column({ type: 'text', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** The tables libs/webhooks maps, for the process's DataSource. */
export const WEBHOOKS_ENTITIES = [WebhookEndpointRow, WebhookDeliveryRow];
