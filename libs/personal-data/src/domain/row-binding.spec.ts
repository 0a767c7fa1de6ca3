import { associatedData, lookupInput, type RowBinding } from './row-binding';

const binding: RowBinding = {
  column: 'consent_requests.from_party',
  tenantId: '0195f0e4-aaaa-7000-8000-000000000001',
  rowId: '0195f0e4-bbbb-7000-8000-000000000002',
};

describe('associatedData', () => {
  it.each<[string, RowBinding, string]>([
    ['another row', { ...binding, rowId: '0195f0e4-bbbb-7000-8000-000000000003' }, 'k1'],
    ['another tenant', { ...binding, tenantId: '0195f0e4-aaaa-7000-8000-000000000009' }, 'k1'],
    ['another column', { ...binding, column: 'consent_requests.required_delegator' }, 'k1'],
    ['another key', binding, 'k2'],
  ])('differs for %s', (_case, other, keyId) => {
    expect(associatedData(other, keyId).equals(associatedData(binding, 'k1'))).toBe(false);
  });

  it('is the same for upper- and lower-case spellings of the same UUIDs', () => {
    const upper = {
      ...binding,
      tenantId: binding.tenantId.toUpperCase(),
      rowId: binding.rowId.toUpperCase(),
    };
    expect(associatedData(upper, 'k1').equals(associatedData(binding, 'k1'))).toBe(true);
  });

  it('cannot be made equal by moving a separator between fields', () => {
    const shifted = { ...binding, column: `${binding.column}","${binding.tenantId}`, tenantId: '' };
    expect(associatedData(shifted, 'k1').equals(associatedData(binding, 'k1'))).toBe(false);
  });
});

describe('lookupInput', () => {
  const person = 'urn:altinn:person:identifier-no:03867199348';

  it.each([
    ['a differently cased URN prefix', 'URN:ALTINN:PERSON:IDENTIFIER-NO:03867199348'],
    ['surrounding spaces', ` ${person} `],
  ])('treats %s as the same party', (_case, spelling) => {
    expect(lookupInput(binding.column, binding.tenantId, spelling)).toEqual(
      lookupInput(binding.column, binding.tenantId, person),
    );
  });

  it('differs between tenants for the same person', () => {
    expect(lookupInput(binding.column, 'tenant-a', person)).not.toEqual(
      lookupInput(binding.column, 'tenant-b', person),
    );
  });
});
