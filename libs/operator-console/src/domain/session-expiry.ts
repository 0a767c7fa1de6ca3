/** How long a console session lives: since its last use (idle) and since sign-in (absolute). */
export interface SessionLifetime {
  idleSeconds: number;
  absoluteSeconds: number;
}

export type SessionExpiry =
  | { live: true; /** How long the store should keep it from now on. */ ttlSeconds: number }
  | { live: false; reason: 'idle' | 'absolute' };

/**
 * Whether a session signed in at `createdAt` and last used at `lastSeenAt` may be used `now`, and if so,
 * how long to keep it: the idle lifetime from now, never past the absolute one (OWASP Session
 * Management Cheat Sheet, "Session Expiration").
 */
export function sessionExpiry(
  session: { createdAt: number; lastSeenAt: number },
  now: number,
  lifetime: SessionLifetime,
): SessionExpiry {
  const absoluteEnd = session.createdAt + lifetime.absoluteSeconds * 1000;
  if (now >= absoluteEnd) return { live: false, reason: 'absolute' };
  if (now >= session.lastSeenAt + lifetime.idleSeconds * 1000) return { live: false, reason: 'idle' };
  const ttlMs = Math.min(lifetime.idleSeconds * 1000, absoluteEnd - now);
  return { live: true, ttlSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
}
