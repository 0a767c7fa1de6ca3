import { refuse, type Verdict } from './token-error';

export interface ScopeContext {
  /** Scopes registered on the client. */
  clientScopes: readonly string[];
  /** The org owning the client: the supplier when acting for a consumer. */
  clientOrg: string;
  consumerOrg?: string;
  /** Whether `consumerOrg` has delegated `scope` to `clientOrg` (Altinn API delegation). */
  isDelegated: (scope: string) => boolean;
}

/**
 * docs/upstream-contract.md §1: every scope is registered on the client, or, with `consumer_org`, delegated
 * by the consumer to the client's owner. With `consumer_org` the delegation is what counts: a scope the
 * client has but the consumer has not delegated is MP-251; a scope neither on the client nor delegated is
 * `invalid_scope` MP-200.
 */
export function authorizeScopes(scopes: readonly string[], context: ScopeContext): Verdict<string[]> {
  const { consumerOrg } = context;
  const onClient = (scope: string) => context.clientScopes.includes(scope);
  if (consumerOrg === undefined) {
    const missing = scopes.filter((scope) => !onClient(scope));
    if (missing.length > 0)
      return refuse('invalid_scope', 'MP-200', `Invalid scope(s): ${missing.join(' ')}`);
    return { ok: true, value: [...scopes] };
  }
  const unknown = scopes.filter((scope) => !onClient(scope) && !context.isDelegated(scope));
  if (unknown.length > 0) return refuse('invalid_scope', 'MP-200', `Invalid scope(s): ${unknown.join(' ')}`);
  const notDelegated = scopes.find((scope) => !context.isDelegated(scope));
  if (notDelegated !== undefined) {
    return refuse(
      'invalid_grant',
      'MP-251',
      `Consumer ${consumerOrg} has not delegated access to the scope ${notDelegated} to supplier ${context.clientOrg}`,
    );
  }
  return { ok: true, value: [...scopes] };
}
