import { type ConsentStatus } from './consent-status';

export type TokenEligibility = { ok: true } | { ok: false; reason: 'not_accepted' | 'revoked' | 'expired' };

/**
 * docs/architecture.md flow 4: a consent token only for an `accepted` consent that is not revoked and not
 * past `validTo` (checked here too: the expiry job may not have run yet, and Altinn still says Accepted
 * then).
 */
export function tokenEligibility(c: { status: ConsentStatus; validTo: Date }, now: Date): TokenEligibility {
  if (c.status === 'revoked') return { ok: false, reason: 'revoked' };
  if (c.validTo <= now) return { ok: false, reason: 'expired' };
  if (c.status !== 'accepted') return { ok: false, reason: 'not_accepted' };
  return { ok: true };
}
