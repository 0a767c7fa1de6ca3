import {
  type CredentialInvalidation,
  decodeInvalidation,
  encodeInvalidation,
} from './credential-invalidation';

describe('credential invalidations', () => {
  it.each<CredentialInvalidation>([
    { kind: 'key', prefix: 'sgw_live_AbCd1234' },
    { kind: 'tenant', tenantId: '0192f3a4-5b6c-7d8e-9f01-a12345678901' },
    { kind: 'all' },
  ])('reads back %j', (invalidation) => {
    expect(decodeInvalidation(encodeInvalidation(invalidation))).toEqual(invalidation);
  });

  it.each([
    ['not JSON', 'sgw_live_AbCd1234'],
    ['null', 'null'],
    ['an unknown kind', '{"kind":"scope","tenantId":"t"}'],
    ['a key without a prefix', '{"kind":"key"}'],
    ['a key with an empty prefix', '{"kind":"key","prefix":""}'],
    ['a tenant whose id is not a string', '{"kind":"tenant","tenantId":42}'],
  ])('drops everything on a message it cannot read: %s', (_case, message) => {
    expect(decodeInvalidation(message)).toEqual({ kind: 'all' });
  });
});
