/**
 * Every job id and job scheduler id, built here and nowhere else (eslint.config.mjs refuses a `jobId` built
 * elsewhere). An id is what makes an enqueue idempotent: the same work asked for twice gets the same id, and
 * BullMQ keeps the job that exists. BullMQ refuses ':' in a custom job id; scheduler ids may hold one.
 */
export const jobIds = {
  /** `consent-create`: the consent's own id, so a second enqueue of the same consent is a no-op. */
  consentCreation: (consentId: string): string => consentId,
  /** `consent-status`: one expiry per consent however often it is scheduled. */
  consentExpiry: (consentId: string): string => `expire-${consentId}`,
  /** `consent-status`: one early GET per consent and step of the early schedule. */
  consentEarlyRefresh: (consentId: string, attempt: number): string => `refresh-${consentId}-${attempt}`,
  /** `webhook-delivery`: the delivery id (the `webhook-id`); retries re-delay this same job. */
  webhookDelivery: (deliveryId: string): string => deliveryId,
  /** `delegation-check`: a check restored after Redis lost its data, once per tenant while it waits. */
  restoredDelegationCheck: (tenantId: string): string => `restored-check-${tenantId}`,
} as const;

/** Ids of the job schedulers (repeatable jobs) the schedule keeper keeps alive. */
export const schedulerIds = {
  /** `consent-status`: a tenant's Altinn event feed poller. */
  consentFeed: (tenantId: string): string => `feed:${tenantId}`,
  /** `consent-create`: the sweep of pending requests that lost their job. */
  pendingSweep: (): string => 'sweep-pending',
  /** `webhook-relay`: the outbox relay's run. */
  webhookRelay: (): string => 'webhook-relay',
} as const;
