import { authorizeScopes, type ScopeContext } from './scope-authorization';

const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';
const OTHER = 'digdir:other';
const DELEGATED_ONLY = 'skatteetaten:delegated';

const context = (changes: Partial<ScopeContext> = {}): ScopeContext => ({
  clientScopes: [WRITE, READ],
  clientOrg: '310149942',
  isDelegated: (scope) => scope === WRITE || scope === DELEGATED_ONLY,
  ...changes,
});

describe('scope authorization', () => {
  it.each([
    ['scopes on the client, acting for itself', [WRITE, READ], {}],
    ['a delegated scope on the client', [WRITE], { consumerOrg: '313876144' }],
    ['a delegated scope not on the client', [DELEGATED_ONLY], { consumerOrg: '313876144' }],
  ])('grants %s', (_case, scopes, changes) => {
    expect(authorizeScopes(scopes, context(changes))).toEqual({ ok: true, value: scopes });
  });

  it.each([
    ['a scope not on the client', [WRITE, OTHER], {}, 'invalid_scope', 'MP-200'],
    ['a delegated scope without consumer_org', [DELEGATED_ONLY], {}, 'invalid_scope', 'MP-200'],
    [
      'with consumer_org, a scope neither on the client nor delegated',
      [OTHER],
      { consumerOrg: '313876144' },
      'invalid_scope',
      'MP-200',
    ],
    [
      'with consumer_org, a scope on the client but not delegated',
      [WRITE, READ],
      { consumerOrg: '313876144' },
      'invalid_grant',
      'MP-251',
    ],
  ])('refuses %s', (_case, scopes, changes, error, code) => {
    expect(authorizeScopes(scopes, context(changes))).toMatchObject({ ok: false, refusal: { error, code } });
  });

  it('names consumer, scope and supplier when a scope is not delegated', () => {
    expect(authorizeScopes([READ], context({ consumerOrg: '974760673' }))).toMatchObject({
      refusal: {
        reason: `Consumer 974760673 has not delegated access to the scope ${READ} to supplier 310149942`,
      },
    });
  });
});
