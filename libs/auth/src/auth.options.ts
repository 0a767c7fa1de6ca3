export interface AuthOptions {
  /** ADMIN_API_KEY, split at commas; empty: the admin API refuses every call. */
  adminApiKeys: readonly string[];
  /** The `<env>` of `sgw_<env>_…` keys this gateway issues and accepts, e.g. `live`. */
  keyEnvironment: string;
  /** Per tenant, shared by every replica through Redis; unset: no limit. */
  rateLimit?: { ratePerSecond: number; burst: number; keyPrefix: string };
  /**
   * The in-process cache of key credentials, dropped on every replica at once when a key is revoked or
   * its tenant changes status; unset: 30 s and 10 000 keys. `ttlMs` bounds how long a replica that
   * missed an invalidation can still accept a key; 0 turns the cache off.
   */
  credentialCache?: { ttlMs?: number; maxEntries?: number };
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
