/** What replacing a tenant's delegated scopes with `requested` adds and removes; both sorted. */
export function scopeChanges(
  current: readonly string[],
  requested: readonly string[],
): { added: string[]; removed: string[] } {
  const have = new Set(current);
  const want = new Set(requested);
  return {
    added: [...want].filter((scope) => !have.has(scope)).sort(),
    removed: [...have].filter((scope) => !want.has(scope)).sort(),
  };
}
