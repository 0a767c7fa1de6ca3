import { isValidOrgNumber, isValidPersonIdentifier, parsePartyUrn } from './identifiers';

describe('simulator identifiers', () => {
  it.each(['310149942', '313876144', '974760673'])('accepts org number %s', (org) => {
    expect(isValidOrgNumber(org)).toBe(true);
  });
  it.each(['310149943', '12345678', '3101499420', 'abcdefghi'])('refuses org number %s', (org) => {
    expect(isValidOrgNumber(org)).toBe(false);
  });
  it.each(['03867199348', '01025161013'])('accepts the seeds’ synthetic person %s', (person) => {
    expect(isValidPersonIdentifier(person)).toBe(true);
  });
  it.each(['03867199349', '0386719934', '01025161014'])('refuses person number %s', (person) => {
    expect(isValidPersonIdentifier(person)).toBe(false);
  });
  it('parses URNs case-insensitively and refuses bad checksums', () => {
    expect(parsePartyUrn('URN:altinn:person:identifier-no:03867199348')).toEqual({
      kind: 'person',
      identifier: '03867199348',
    });
    expect(parsePartyUrn('urn:altinn:organization:identifier-no:313876144')?.kind).toBe('organization');
    expect(parsePartyUrn('urn:altinn:person:identifier-no:03867199349')).toBeUndefined();
    expect(parsePartyUrn('urn:altinn:person:fnr:03867199348')).toBeUndefined();
  });
});
