// The gateway's consent status machine (docs/architecture.md flow 3, docs/api-guide.md "Statuses"). Every
// status change observed on any path (create answer, early GETs, the feed, refresh, the expiry job) goes
// through `transition`, so each change is emitted once whichever path saw it first. The event a transition
// emits is `consent.<status>`, one of libs/events' types: the compiler holds the two lists together.

import { type ConsentEventType } from '@gw/events';

export const CONSENT_STATUSES = [
  'pending',
  'created',
  'accepted',
  'rejected',
  'revoked',
  'expired',
  'failed',
  'deleted',
  'used',
] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export type ConsentTransition =
  | { kind: 'transition'; to: ConsentStatus; eventType: ConsentEventType }
  /** Nothing new: the same status, or one the consent has already moved past. */
  | { kind: 'none' }
  /** The observation contradicts the history (e.g. `rejected` once `accepted`): keep the status, log it. */
  | { kind: 'illegal' };

/**
 * docs/api-guide.md "Statuses": `pending` → `created` → `accepted` | `rejected`; `accepted` → `revoked` |
 * `expired`; `created` → `expired`; `pending` → `failed`; plus `deleted` / `used` if Altinn ever emits them.
 */
const NEXT: Record<ConsentStatus, readonly ConsentStatus[]> = {
  pending: ['created', 'failed'],
  created: ['accepted', 'rejected', 'expired', 'deleted'],
  accepted: ['revoked', 'expired', 'used', 'deleted'],
  rejected: [],
  revoked: [],
  expired: [],
  failed: [],
  deleted: [],
  used: [],
};

function reachable(from: ConsentStatus, to: ConsentStatus): boolean {
  const seen = new Set<ConsentStatus>();
  const queue = [...NEXT[from]];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...NEXT[next]);
  }
  return false;
}

/**
 * What observing `observed` means for a consent in `current`. A status further down the machine is a
 * transition straight to it, even past steps nobody saw (accepted and revoked between two polls: one
 * `consent.revoked`). One already passed is `none`: a late feed event or Altinn's GET past `validTo`
 * (still "Accepted") must never move a consent back. Once `expired`, nothing Altinn reports makes the
 * consent usable again and its end is announced, so later revocations or decisions are `none` too; and a
 * consent that has ended otherwise (revoked, rejected, failed…) does not expire on top of that.
 */
export function transition(current: ConsentStatus, observed: ConsentStatus): ConsentTransition {
  if (observed === current) return { kind: 'none' };
  if (reachable(current, observed))
    return { kind: 'transition', to: observed, eventType: `consent.${observed}` };
  if (reachable(observed, current)) return { kind: 'none' };
  if (current === 'expired' || (observed === 'expired' && NEXT[current].length === 0))
    return { kind: 'none' };
  return { kind: 'illegal' };
}

/**
 * The expiry job's transition at `validTo` (docs/upstream-contract.md §2: Altinn never stores expiry):
 * `created` and `accepted` expire; anything else has ended already, or (`pending`) will fail upstream on its own.
 */
export function expiryTransition(current: ConsentStatus): ConsentTransition {
  return current === 'created' || current === 'accepted' ? transition(current, 'expired') : { kind: 'none' };
}

/** docs/upstream-contract.md §2: the statuses Altinn's details carry, any case. */
const FROM_ALTINN_STATUS: Readonly<Record<string, ConsentStatus>> = {
  created: 'created',
  accepted: 'accepted',
  rejected: 'rejected',
  revoked: 'revoked',
  deleted: 'deleted',
};

/**
 * docs/upstream-contract.md §2: Altinn's event types, any case (`expired` only as the synthetic event of a
 * GET).
 */
const FROM_ALTINN_EVENT_TYPE: Readonly<Record<string, ConsentStatus>> = {
  ...FROM_ALTINN_STATUS,
  expired: 'expired',
  used: 'used',
};

/** The gateway status for an Altinn consent status (`Accepted`, `accepted`…); undefined when unknown. */
export function statusFromAltinnStatus(status: string): ConsentStatus | undefined {
  return Object.hasOwn(FROM_ALTINN_STATUS, status.toLowerCase())
    ? FROM_ALTINN_STATUS[status.toLowerCase()]
    : undefined;
}

/** The gateway status an Altinn event type (`Revoked`, `revoked`…) leads to; undefined when unknown. */
export function statusFromAltinnEventType(eventType: string): ConsentStatus | undefined {
  return Object.hasOwn(FROM_ALTINN_EVENT_TYPE, eventType.toLowerCase())
    ? FROM_ALTINN_EVENT_TYPE[eventType.toLowerCase()]
    : undefined;
}
