export interface CredentialCacheLimits {
  /** How long an answer is trusted without a word from the other replicas; 0 turns the cache off. */
  ttlMs: number;
  /** Prefixes of existing keys kept (the least recently used goes first). */
  maxKnown: number;
  /** Prefixes that matched no key, kept apart so guessed prefixes cannot push out live keys. */
  maxUnknown: number;
}

/** A cached answer to the login lookup: `value` undefined means no key has the prefix. */
export interface CachedAnswer<T> {
  value: T | undefined;
}

/**
 * The login lookup's answers by key prefix, in process. Off until `enable()` (the gateway turns it on
 * only while it hears invalidations from the other replicas). Every drop starts a new epoch: an answer
 * read before it is not stored, since it may predate the change that caused the drop.
 */
export class CredentialCache<T extends { tenantId: string }> {
  private readonly known = new Map<string, { value: T; expiresAt: number }>();
  private readonly unknown = new Map<string, number>();
  private epoch = 0;
  private enabled = false;

  constructor(private readonly limits: CredentialCacheLimits) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  get size(): { known: number; unknown: number } {
    return { known: this.known.size, unknown: this.unknown.size };
  }

  /** The cached answer for `prefix`, or undefined when it has to be looked up. */
  get(prefix: string, now: number): CachedAnswer<T> | undefined {
    if (!this.enabled) return undefined;
    const entry = this.known.get(prefix);
    if (entry) {
      this.known.delete(prefix);
      if (entry.expiresAt <= now) return undefined;
      this.known.set(prefix, entry); // most recently used last
      return { value: entry.value };
    }
    const expiresAt = this.unknown.get(prefix);
    if (expiresAt === undefined) return undefined;
    if (expiresAt <= now) {
      this.unknown.delete(prefix);
      return undefined;
    }
    return { value: undefined };
  }

  /** Taken before a lookup and handed to `set`. */
  mark(): number {
    return this.epoch;
  }

  /** Stores a lookup's answer, unless the cache is off or something was dropped since `mark`. */
  set(prefix: string, value: T | undefined, mark: number, now: number): void {
    if (!this.enabled || mark !== this.epoch || this.limits.ttlMs <= 0) return;
    const expiresAt = now + this.limits.ttlMs;
    if (value === undefined) {
      putBounded(this.unknown, prefix, expiresAt, this.limits.maxUnknown);
    } else {
      this.unknown.delete(prefix);
      putBounded(this.known, prefix, { value, expiresAt }, this.limits.maxKnown);
    }
  }

  dropPrefix(prefix: string): void {
    this.epoch += 1;
    this.known.delete(prefix);
    this.unknown.delete(prefix);
  }

  dropTenant(tenantId: string): void {
    this.epoch += 1;
    for (const [prefix, entry] of this.known) {
      if (entry.value.tenantId === tenantId) this.known.delete(prefix);
    }
  }

  clear(): void {
    this.epoch += 1;
    this.known.clear();
    this.unknown.clear();
  }

  enable(): void {
    this.clear();
    this.enabled = this.limits.ttlMs > 0;
  }

  disable(): void {
    this.clear();
    this.enabled = false;
  }
}

/** Sets `key` as the newest entry, dropping the oldest ones beyond `max`. */
function putBounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (max <= 0) return;
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
