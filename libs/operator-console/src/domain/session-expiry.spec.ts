import { sessionExpiry } from './session-expiry';

const lifetime = { idleSeconds: 30 * 60, absoluteSeconds: 8 * 3600 };
const signedIn = Date.UTC(2026, 0, 1, 8, 0, 0);
const minutes = (n: number) => n * 60_000;

describe('sessionExpiry', () => {
  it('keeps a session used within the idle lifetime, for the idle lifetime from now', () => {
    const now = signedIn + minutes(20);
    expect(sessionExpiry({ createdAt: signedIn, lastSeenAt: signedIn + minutes(5) }, now, lifetime)).toEqual({
      live: true,
      ttlSeconds: 30 * 60,
    });
  });

  it('ends a session left unused for the idle lifetime', () => {
    const now = signedIn + minutes(40);
    expect(sessionExpiry({ createdAt: signedIn, lastSeenAt: signedIn + minutes(10) }, now, lifetime)).toEqual(
      {
        live: false,
        reason: 'idle',
      },
    );
  });

  it('ends a session at its absolute lifetime however busy it is', () => {
    const now = signedIn + minutes(8 * 60);
    expect(sessionExpiry({ createdAt: signedIn, lastSeenAt: now - 1000 }, now, lifetime)).toEqual({
      live: false,
      reason: 'absolute',
    });
  });

  it('never keeps a session past its absolute lifetime', () => {
    const now = signedIn + minutes(8 * 60 - 10);
    expect(sessionExpiry({ createdAt: signedIn, lastSeenAt: now }, now, lifetime)).toEqual({
      live: true,
      ttlSeconds: 10 * 60,
    });
  });
});
