import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { sessionExpiry, type SessionLifetime } from './domain/session-expiry';

/** A signed-in operator as the console knows them. */
export interface ConsoleSession {
  /** The random id the cookie carries; never stored (the store's key is its digest). */
  id: string;
  /** Who signed in: the admin key's fingerprint, the audit log's actor. The key itself is never stored. */
  actor: string;
  /** The synchronizer token every change must carry. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

type StoredSession = Omit<ConsoleSession, 'id'>;

/**
 * Console sessions in Redis, so any gateway replica serves any operator. Stored under the SHA-256 of
 * the session id (a copy of Redis holds no usable cookie) with a TTL of the idle lifetime, renewed on
 * each use up to the absolute lifetime. This is the seam a different sign-in (OIDC) plugs into: whatever
 * proves who the operator is ends in `create`.
 */
export class ConsoleSessions {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly lifetime: SessionLifetime,
  ) {}

  async create(actor: string, now = Date.now()): Promise<ConsoleSession> {
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      actor,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    await this.save(session, Math.min(this.lifetime.idleSeconds, this.lifetime.absoluteSeconds));
    return session;
  }

  /** The live session of `id`, its last use moved to `now`; undefined (and forgotten) once expired. */
  async use(id: string, now = Date.now()): Promise<ConsoleSession | undefined> {
    const text = await this.redis.get(this.keyOf(id));
    if (text === null) return undefined;
    const stored = JSON.parse(text) as StoredSession;
    const expiry = sessionExpiry(stored, now, this.lifetime);
    if (!expiry.live) {
      await this.end(id);
      return undefined;
    }
    const session = { ...stored, id, lastSeenAt: now };
    await this.save(session, expiry.ttlSeconds);
    return session;
  }

  async end(id: string): Promise<void> {
    await this.redis.del(this.keyOf(id));
  }

  private async save(session: ConsoleSession, ttlSeconds: number): Promise<void> {
    const stored: StoredSession = {
      actor: session.actor,
      csrfToken: session.csrfToken,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
    };
    await this.redis.set(this.keyOf(session.id), JSON.stringify(stored), 'EX', ttlSeconds);
  }

  private keyOf(id: string): string {
    return `${this.keyPrefix}console:session:${createHash('sha256').update(id).digest('hex')}`;
  }
}
