import { ACTION_FILTER, actionMatch } from './audit-filter';

describe('actionMatch', () => {
  it('matches an action exactly', () => {
    expect(actionMatch('api_key.revoked')).toEqual({ kind: 'exact', action: 'api_key.revoked' });
  });

  it('matches a prefix ending in a dot, with LIKE wildcards in it escaped', () => {
    expect(actionMatch('webhook_endpoint.')).toEqual({ kind: 'prefix', likePattern: 'webhook\\_endpoint.%' });
  });
});

describe('ACTION_FILTER', () => {
  it.each(['tenant.created', 'webhook_endpoint.', 'consent_request.created', 'a.b'])(
    'accepts %s',
    (filter) => {
      expect(ACTION_FILTER.test(filter)).toBe(true);
    },
  );

  it.each(['tenant', '.created', 'tenant.%', 'Tenant.created', 'a.b.c', '', 'a_%.'])(
    'refuses %j',
    (filter) => {
      expect(ACTION_FILTER.test(filter)).toBe(false);
    },
  );
});
