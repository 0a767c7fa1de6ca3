import { preferredWaitSeconds } from './consent-requests.schemas';

describe('preferredWaitSeconds (RFC 7240 Prefer: wait)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['return=minimal', undefined],
    ['wait=5', 5],
    ['respond-async, wait=10', 10],
    ['WAIT = 7', 7],
    ['wait="12"', 12],
    ['wait=600', 30],
    ['handling=strict; wait=0', 0],
  ])('reads %p as %p', (prefer, expected) => {
    expect(preferredWaitSeconds(prefer)).toBe(expected);
  });
});
