import { type ConsentStatus } from './consent-status';
import { tokenEligibility } from './token-eligibility';

const now = new Date('2026-01-15T10:00:00Z');
const later = new Date('2026-01-15T10:00:01Z');
const earlier = new Date('2026-01-15T09:59:59Z');

describe('tokenEligibility', () => {
  it('allows a token for an accepted consent before validTo', () => {
    expect(tokenEligibility({ status: 'accepted', validTo: later }, now)).toEqual({ ok: true });
  });

  it.each<[string, { status: ConsentStatus; validTo: Date }]>([
    ['revoked', { status: 'revoked', validTo: later }],
    ['revoked', { status: 'revoked', validTo: earlier }],
    ['expired', { status: 'accepted', validTo: now }],
    ['expired', { status: 'accepted', validTo: earlier }],
    ['expired', { status: 'expired', validTo: earlier }],
    ['expired', { status: 'created', validTo: earlier }],
    ['not_accepted', { status: 'created', validTo: later }],
    ['not_accepted', { status: 'pending', validTo: later }],
    ['not_accepted', { status: 'rejected', validTo: later }],
    ['not_accepted', { status: 'failed', validTo: later }],
    ['not_accepted', { status: 'deleted', validTo: later }],
    ['not_accepted', { status: 'used', validTo: later }],
  ])('refuses a token when the consent is %s (%o)', (reason, consent) => {
    expect(tokenEligibility(consent, now)).toEqual({ ok: false, reason });
  });
});
