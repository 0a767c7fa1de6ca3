/**
 * How long a token may be served from the cache: `expires_in` minus a safety margin that covers the time
 * a caller needs to use it and clock drift. Zero or less means "do not cache".
 */
export function tokenCacheTtlSeconds(expiresIn: number, safetyMarginSeconds: number): number {
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) return 0;
  return Math.max(0, Math.floor(expiresIn - safetyMarginSeconds));
}
