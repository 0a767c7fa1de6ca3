export interface AuthOptions {
  /** ADMIN_API_KEY, split at commas; empty: the admin API refuses every call. */
  adminApiKeys: readonly string[];
  /** The `<env>` of `sgw_<env>_…` keys this gateway issues and accepts, e.g. `live`. */
  keyEnvironment: string;
  /** Per tenant, shared by every replica through Redis; unset: no limit. */
  rateLimit?: { ratePerSecond: number; burst: number; keyPrefix: string };
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
