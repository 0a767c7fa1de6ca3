import { tokenCacheKeyMaterial } from './token-cache-key';
import { type NormalizedTokenRequest } from './token-request';

const consent = (id: string, from = 'urn:altinn:person:identifier-no:03867199348') =>
  [{ type: 'urn:altinn:consent', id, from }] as NormalizedTokenRequest['authorizationDetails'];
const base: NormalizedTokenRequest = { scopes: ['altinn:consentrequests.write'], consumerOrg: '313876144' };
const key = (request: NormalizedTokenRequest, clientId = 'client', issuer = 'https://mp/') =>
  tokenCacheKeyMaterial(clientId, issuer, request);

describe('tokenCacheKeyMaterial', () => {
  it.each<[string, string]>([
    ['another consumer_org', key({ ...base, consumerOrg: '974760673' })],
    ['no consumer_org', key({ scopes: base.scopes })],
    ['another scope', key({ ...base, scopes: ['altinn:consentrequests.read'] })],
    [
      'an extra scope',
      key({ ...base, scopes: ['altinn:consentrequests.read', 'altinn:consentrequests.write'] }),
    ],
    ['a resource', key({ ...base, resource: ['https://api/'] })],
    ['a consent', key({ ...base, authorizationDetails: consent('0192a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b') })],
    ['another client', key(base, 'other-client')],
    ['another issuer', key(base, 'client', 'https://other-mp/')],
  ])('differs for %s', (_label, other) => {
    expect(other).not.toBe(key(base));
  });

  it('differs between two consents and between two persons on one consent id', () => {
    const id = '0192a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b';
    const one = key({ ...base, authorizationDetails: consent(id) });
    expect(key({ ...base, authorizationDetails: consent('0192a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c') })).not.toBe(
      one,
    );
    expect(
      key({ ...base, authorizationDetails: consent(id, 'urn:altinn:person:identifier-no:01025161013') }),
    ).not.toBe(one);
  });

  it('ignores the order of scopes and resources', () => {
    expect(key({ scopes: ['b', 'a'], resource: ['y', 'x'] })).toBe(
      key({ scopes: ['a', 'b'], resource: ['x', 'y'] }),
    );
  });

  it('cannot be confused by values that contain separators', () => {
    expect(key({ scopes: ['a b'] })).not.toBe(key({ scopes: ['a', 'b'] }));
  });
});
