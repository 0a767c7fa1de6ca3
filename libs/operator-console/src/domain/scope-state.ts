/** A delegated scope with its last check, as the admin API shows it. */
export interface ScopeCheck {
  scope: string;
  verifiedAt: string | null;
  lastError: { code: string; message: string; checkedAt: string } | null;
}

export type ScopeState =
  | { kind: 'verified'; at: string }
  | { kind: 'refused'; code: string; message: string; at: string }
  | { kind: 'unchecked' };

/** What the last check of a scope found: a token (verified), a refusal (MP-251, MP-200…), or none yet. */
export function scopeState(scope: ScopeCheck): ScopeState {
  const refusedAt = scope.lastError ? Date.parse(scope.lastError.checkedAt) : -Infinity;
  const verifiedAt = scope.verifiedAt ? Date.parse(scope.verifiedAt) : -Infinity;
  if (scope.lastError && refusedAt >= verifiedAt) {
    return {
      kind: 'refused',
      code: scope.lastError.code,
      message: scope.lastError.message,
      at: scope.lastError.checkedAt,
    };
  }
  if (scope.verifiedAt) return { kind: 'verified', at: scope.verifiedAt };
  return { kind: 'unchecked' };
}

/** A tenant's delegation at a glance: how many scopes are verified, refused (with which codes), unchecked. */
export interface DelegationGlance {
  total: number;
  verified: number;
  refused: string[];
  unchecked: number;
}

export function delegationGlance(scopes: readonly ScopeCheck[]): DelegationGlance {
  const states = scopes.map(scopeState);
  return {
    total: scopes.length,
    verified: states.filter((state) => state.kind === 'verified').length,
    refused: states.flatMap((state) => (state.kind === 'refused' ? [state.code] : [])),
    unchecked: states.filter((state) => state.kind === 'unchecked').length,
  };
}

/**
 * Whether the page should keep asking for the scopes' state: some scope has no check result from
 * `since` on (the check queued then has not finished), and `since` is less than `patienceMs` ago, so a
 * check that never finishes (no worker) stops the polling instead of running forever.
 */
export function awaitingCheck(
  scopes: readonly ScopeCheck[],
  since: number,
  now: number,
  patienceMs: number,
): boolean {
  if (now - since > patienceMs) return false;
  return scopes.some((scope) => {
    const checkedAt = Math.max(
      scope.verifiedAt ? Date.parse(scope.verifiedAt) : -Infinity,
      scope.lastError ? Date.parse(scope.lastError.checkedAt) : -Infinity,
    );
    return checkedAt < since;
  });
}
