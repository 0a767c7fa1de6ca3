import { type SimConsent } from '../../core/consent-store';
import { ORG_URN_PREFIX } from '../../core/identifiers';
import { type ConsentGrantDetail } from './authorization-details';
import { refuse, type Verdict } from './token-error';

/**
 * docs/upstream-contract.md §1 "Token response" (a consent token): the consent must exist, be accepted, not
 * revoked, not expired, its `from` must match the grant's and its `to` must be the token's consumer.
 * Maskinporten's exact error for each is unconfirmed: the simulator answers `invalid_grant` MP-303 naming why.
 */
export function checkConsentGrant(
  consent: SimConsent | undefined,
  detail: ConsentGrantDetail,
  consumerOrg: string,
  now: Date,
): Verdict<SimConsent> {
  const refuseConsent = (why: string) => refuse('invalid_grant', 'MP-303', `Consent ${detail.id} ${why}`);
  if (!consent) return refuseConsent('was not found');
  if (consent.from !== detail.from)
    return refuseConsent('is from another party than authorization_details from');
  if (consent.to !== ORG_URN_PREFIX + consumerOrg) {
    return refuseConsent(`is not to the token's consumer ${consumerOrg}`);
  }
  if (consent.status === 'Revoked') return refuseConsent('has been revoked');
  if (consent.status !== 'Accepted') return refuseConsent(`is not accepted (status ${consent.status})`);
  if (consent.validTo.getTime() <= now.getTime()) return refuseConsent('has expired');
  return { ok: true, value: consent };
}
