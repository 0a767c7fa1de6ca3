import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { type TenantId } from '@gw/identifiers';
import { TenantRow } from '@gw/tenants';
import { type ConsentRight } from './consent-request';
import { type ConsentStatus } from './domain/consent-status';

/**
 * A row of `consent_requests` as the migrations create it (libs/persistence/src/migrations); the schema
 * drift spec fails when the two disagree. A row holds `from` either in plain text (written before
 * parties were sealed) or sealed: ciphertext, data key id and lookup HMAC.
 */
@Entity('consent_requests')
@Index('consent_requests_tenant_id_updated_at', ['tenantId', 'updatedAt', 'id'])
@Index('consent_requests_tenant_id_status', ['tenantId', 'status', 'id'])
@Index('consent_requests_open', ['status', 'createdAt'], { where: `status IN ('pending', 'created')` })
@Index('consent_requests_tenant_id_from_party_hmac', ['tenantId', 'fromPartyHmac'])
@Check(
  'consent_requests_status_check',
  `status IN ('pending', 'created', 'accepted', 'rejected', 'revoked', 'expired', 'failed', 'deleted', 'used')`,
)
@Check(
  'consent_requests_from_party_stored',
  `from_party IS NOT NULL
   OR (from_party_ciphertext IS NOT NULL AND from_party_key_id IS NOT NULL AND from_party_hmac IS NOT NULL)`,
)
export class ConsentRequestRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'consent_requests_pkey' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  @ForeignKey(() => TenantRow, { name: 'consent_requests_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ name: 'from_party', type: 'text', nullable: true })
  fromParty!: string | null;

  @Column({ name: 'from_party_ciphertext', type: 'bytea', nullable: true })
  fromPartyCiphertext!: Buffer | null;

  @Column({ name: 'from_party_key_id', type: 'text', nullable: true })
  fromPartyKeyId!: string | null;

  @Column({ name: 'from_party_hmac', type: 'bytea', nullable: true })
  fromPartyHmac!: Buffer | null;

  @Column({ name: 'to_org', type: 'char', length: 9 })
  toOrg!: string;

  @Column({ name: 'valid_to', type: 'timestamptz' })
  validTo!: Date;

  @Column({ type: 'jsonb' })
  rights!: ConsentRight[];

  @Column({ type: 'jsonb', nullable: true })
  message!: Record<string, string> | null;

  @Column({ name: 'redirect_url', type: 'text' })
  redirectUrl!: string;

  @Column({ name: 'required_delegator', type: 'text', nullable: true })
  requiredDelegator!: string | null;

  @Column({ name: 'portal_view_mode', type: 'text', nullable: true })
  portalViewMode!: 'Hide' | 'Show' | null;

  @Column({ type: 'text', default: 'pending' })
  status!: ConsentStatus;

  @Column({ name: 'view_uri', type: 'text', nullable: true })
  viewUri!: string | null;

  @Column({ name: 'consented_at', type: 'timestamptz', nullable: true })
  consentedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  upstream!: Record<string, unknown> | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A row of `idempotency_keys`: the request an Idempotency-Key of a tenant created. */
@Entity('idempotency_keys')
export class IdempotencyKeyRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  @ForeignKey(() => TenantRow, { name: 'idempotency_keys_tenant_id_fkey' })
  tenantId!: TenantId;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key!: string;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ name: 'consent_request_id', type: 'uuid', nullable: true })
  @ForeignKey(() => ConsentRequestRow, { name: 'idempotency_keys_consent_request_id_fkey' })
  consentRequestId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** A row of `consent_feed_cursors`: where a tenant's Altinn event feed was read up to. */
@Entity('consent_feed_cursors')
export class ConsentFeedCursorRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid', primaryKeyConstraintName: 'consent_feed_cursors_pkey' })
  @ForeignKey(() => TenantRow, { name: 'consent_feed_cursors_tenant_id_fkey' })
  tenantId!: TenantId;

  @Column({ name: 'continuation_token', type: 'text', nullable: true })
  continuationToken!: string | null;

  @Column({ name: 'polled_at', type: 'timestamptz', default: () => 'now()' })
  polledAt!: Date;
}

/** The tables libs/consent maps, for the process's DataSource. */
export const CONSENT_ENTITIES = [ConsentRequestRow, IdempotencyKeyRow, ConsentFeedCursorRow];
