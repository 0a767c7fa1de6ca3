import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { SigningError, type SigningErrorCode } from '@gw/signing';
import { MaskinportenError, type MaskinportenErrorCode } from './maskinporten.errors';
import { TokenSealer } from './token-sealer';

/** What the cache keeps of a token response; sealed before it reaches Redis. */
export interface CachedToken {
  accessToken: string;
  tokenType: string;
  scope: string;
  /** When Maskinporten says the token expires (epoch ms); the cache entry ends a safety margin earlier. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** Prefix of every Redis key (e.g. `sgw:`); tests use one per run. */
  keyPrefix: string;
  /**
   * 32-byte AES-256-GCM secret, the same in every replica (TOKEN_CACHE_ENCRYPTION_KEY). Without it a
   * random secret per process is used: tokens stay encrypted but are not shared between processes
   * (development only; the worker config requires it in production).
   */
  encryptionKey?: Uint8Array;
  /** How long a fetching process holds the lock before others may take over; default 45 s. */
  lockTtlMs?: number;
  /** How long a caller waits for a token another process is fetching; default 60 s. */
  waitTimeoutMs?: number;
  /** How long a failed fetch's error is kept for the callers that waited on it; default 10 s. */
  errorTtlMs?: number;
  now?: () => number;
}

export interface FetchedToken {
  token: CachedToken;
  /** 0 or less: hand the token out but do not cache it. */
  ttlMs: number;
}

export type TokenSource = 'cache' | 'fetched' | 'waited';

/** Compare-and-take: returns the current holder, or takes the lock and returns nil. */
const ACQUIRE = `local holder = redis.call('GET', KEYS[1])
if holder then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;
/** Releases only our own lock: an expired one may already belong to another process. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface SharedError {
  kind: 'maskinporten' | 'signing';
  code: string;
  message: string;
  status?: number;
  upstreamError?: string;
  mpCode?: string;
  description?: string;
  attempts?: number;
  retryAfterMs?: number;
  keyId?: string;
}

interface Keys {
  token: string;
  lock: string;
  error: (flight: string) => string;
}

/**
 * Access tokens in Redis, shared by every replica, with single flight across processes: one caller per
 * key takes a lock (SET NX PX semantics) and fetches; the others wait for its token or its error. So N
 * concurrent callers cost one signature and one token request. Keys share a hash tag for Redis Cluster.
 */
export class RedisTokenCache {
  private readonly sealer: TokenSealer;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
  private readonly errorTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: TokenCacheOptions,
  ) {
    this.sealer = new TokenSealer(options.encryptionKey ?? randomBytes(32));
    this.lockTtlMs = options.lockTtlMs ?? 45_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 60_000;
    this.errorTtlMs = options.errorTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async getOrFetch(
    material: string,
    fetch: () => Promise<FetchedToken>,
  ): Promise<{ token: CachedToken; source: TokenSource }> {
    const keys = this.keys(material);
    const deadline = this.now() + this.waitTimeoutMs;
    for (;;) {
      const cached = this.open(keys, await this.redis.get(keys.token));
      if (cached) return { token: cached, source: 'cache' };
      const flight = randomUUID();
      const holder = (await this.redis.eval(ACQUIRE, 1, keys.lock, flight, String(this.lockTtlMs))) as
        string | null;
      if (holder === null) return { token: await this.lead(keys, flight, fetch), source: 'fetched' };
      const token = await this.follow(keys, holder, deadline);
      if (token) return { token, source: 'waited' };
      // The holder let go without a result (it died, or its token was not cacheable): try again.
      if (this.now() >= deadline) {
        throw new MaskinportenError(
          'maskinporten.unavailable',
          `No token within ${this.waitTimeoutMs} ms while another process was fetching it`,
        );
      }
    }
  }

  /** The cached token for `material`, if one is live; never fetches. */
  async peek(material: string): Promise<CachedToken | undefined> {
    const keys = this.keys(material);
    return this.open(keys, await this.redis.get(keys.token));
  }

  /** Drops a token, e.g. after the upstream answered 401 to it; the next caller fetches a new one. */
  async invalidate(material: string): Promise<void> {
    await this.redis.del(this.keys(material).token);
  }

  private async lead(keys: Keys, flight: string, fetch: () => Promise<FetchedToken>): Promise<CachedToken> {
    try {
      // Another process may have stored the token between our read and our lock.
      const cached = this.open(keys, await this.redis.get(keys.token));
      if (cached) return cached;
      let fetched: FetchedToken;
      try {
        fetched = await fetch();
      } catch (error) {
        await this.redis.set(keys.error(flight), JSON.stringify(shareable(error)), 'PX', this.errorTtlMs);
        throw error;
      }
      const ttlMs = Math.floor(fetched.ttlMs);
      if (ttlMs > 0) {
        await this.redis.set(
          keys.token,
          this.sealer.seal(JSON.stringify(fetched.token), keys.token),
          'PX',
          ttlMs,
        );
      }
      return fetched.token;
    } finally {
      await this.redis.eval(RELEASE, 1, keys.lock, flight);
    }
  }

  /** Waits for the holder's token or error; undefined when the holder let go without either. */
  private async follow(keys: Keys, holder: string, deadline: number): Promise<CachedToken | undefined> {
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      const [token, lock, error] = await this.redis.mget(keys.token, keys.lock, keys.error(holder));
      const cached = this.open(keys, token);
      if (cached) return cached;
      if (error !== null) throw revive(error);
      if (lock !== holder || this.now() >= deadline) return undefined;
      await sleep(pause);
    }
  }

  private open(keys: Keys, sealed: string | null): CachedToken | undefined {
    if (sealed === null) return undefined;
    const plaintext = this.sealer.open(sealed, keys.token);
    if (plaintext === undefined) return undefined;
    const token = JSON.parse(plaintext) as CachedToken;
    // Redis expires the entry; this guards against a clock far off or a TTL set by an older version.
    return token.expiresAt > this.now() ? token : undefined;
  }

  private keys(material: string): Keys {
    const base = `${this.options.keyPrefix}maskinporten:token:{${this.sealer.keyHash(material)}}`;
    return { token: `${base}:value`, lock: `${base}:lock`, error: (flight) => `${base}:error:${flight}` };
  }
}

function shareable(error: unknown): SharedError {
  if (error instanceof MaskinportenError) {
    const { code, message, status, upstreamError, mpCode, description, attempts, retryAfterMs } = error;
    return {
      kind: 'maskinporten',
      code,
      message,
      status,
      upstreamError,
      mpCode,
      description,
      attempts,
      retryAfterMs,
    };
  }
  if (error instanceof SigningError) {
    const { code, message, upstreamError, keyId } = error;
    return { kind: 'signing', code, message, upstreamError, keyId };
  }
  return {
    kind: 'maskinporten',
    code: 'maskinporten.unavailable',
    message: `Fetching the token failed: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function revive(serialized: string): Error {
  const shared = JSON.parse(serialized) as SharedError;
  if (shared.kind === 'signing') {
    return new SigningError(shared.code as SigningErrorCode, shared.message, {
      keyId: shared.keyId,
      upstreamError: shared.upstreamError,
    });
  }
  return new MaskinportenError(shared.code as MaskinportenErrorCode, shared.message, {
    status: shared.status,
    upstreamError: shared.upstreamError,
    mpCode: shared.mpCode,
    description: shared.description,
    attempts: shared.attempts,
    retryAfterMs: shared.retryAfterMs,
  });
}
