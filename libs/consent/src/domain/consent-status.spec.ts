import {
  CONSENT_STATUSES,
  type ConsentStatus,
  expiryTransition,
  statusFromAltinnEventType,
  statusFromAltinnStatus,
  transition,
} from './consent-status';

const to = (status: ConsentStatus) => ({ kind: 'transition', to: status, eventType: `consent.${status}` });
const none = { kind: 'none' };
const illegal = { kind: 'illegal' };

describe('transition', () => {
  it.each<[ConsentStatus, ConsentStatus, object]>([
    // the edges docs/api-guide.md "Statuses" lists
    ['pending', 'created', to('created')],
    ['pending', 'failed', to('failed')],
    ['created', 'accepted', to('accepted')],
    ['created', 'rejected', to('rejected')],
    ['created', 'expired', to('expired')],
    ['accepted', 'revoked', to('revoked')],
    ['accepted', 'expired', to('expired')],
    ['accepted', 'used', to('used')],
    ['created', 'deleted', to('deleted')],
    ['accepted', 'deleted', to('deleted')],
    // steps nobody saw: straight to where Altinn is now
    ['created', 'revoked', to('revoked')],
    ['pending', 'accepted', to('accepted')],
    ['pending', 'rejected', to('rejected')],
    // nothing new
    ['created', 'created', none],
    ['accepted', 'accepted', none],
    ['failed', 'failed', none],
    // already past it: late or stale observations never move back
    ['accepted', 'created', none],
    ['revoked', 'accepted', none],
    ['revoked', 'created', none],
    ['rejected', 'created', none],
    ['expired', 'accepted', none],
    ['expired', 'created', none],
    ['created', 'pending', none],
    ['failed', 'pending', none],
    // after expiry nothing makes it usable again
    ['expired', 'revoked', none],
    ['expired', 'rejected', none],
    // an end does not expire on top
    ['revoked', 'expired', none],
    ['rejected', 'expired', none],
    ['failed', 'expired', none],
    ['used', 'expired', none],
    // contradictions
    ['rejected', 'accepted', illegal],
    ['accepted', 'rejected', illegal],
    ['revoked', 'rejected', illegal],
    ['rejected', 'revoked', illegal],
    ['failed', 'created', illegal],
    ['failed', 'accepted', illegal],
    ['created', 'failed', illegal],
    ['used', 'revoked', illegal],
  ])('%s, observing %s → %o', (current, observed, expected) => {
    expect(transition(current, observed)).toEqual(expected);
  });

  it.each(CONSENT_STATUSES)('never leaves %s for pending', (current) => {
    expect(transition(current, 'pending').kind).not.toBe('transition');
  });
});

describe('expiryTransition', () => {
  it.each<[ConsentStatus, object]>([
    ['created', to('expired')],
    ['accepted', to('expired')],
    ['pending', none],
    ['rejected', none],
    ['revoked', none],
    ['expired', none],
    ['failed', none],
    ['deleted', none],
    ['used', none],
  ])('%s → %o', (current, expected) => {
    expect(expiryTransition(current)).toEqual(expected);
  });
});

describe('statusFromAltinnStatus', () => {
  it.each([
    ['Created', 'created'],
    ['Accepted', 'accepted'],
    ['ACCEPTED', 'accepted'],
    ['rejected', 'rejected'],
    ['Revoked', 'revoked'],
    ['Deleted', 'deleted'],
    ['Expired', undefined],
    ['Pending', undefined],
    ['toString', undefined],
    ['', undefined],
  ])('%s → %s', (status, expected) => {
    expect(statusFromAltinnStatus(status)).toBe(expected);
  });
});

describe('statusFromAltinnEventType', () => {
  it.each([
    ['Created', 'created'],
    ['accepted', 'accepted'],
    ['Rejected', 'rejected'],
    ['REVOKED', 'revoked'],
    ['Deleted', 'deleted'],
    ['Expired', 'expired'],
    ['Used', 'used'],
    ['Archived', undefined],
    ['constructor', undefined],
  ])('%s → %s', (eventType, expected) => {
    expect(statusFromAltinnEventType(eventType)).toBe(expected);
  });
});
