import { maskedPartyUrn, maskPersonIdentifier } from './masked-party';

describe('maskPersonIdentifier', () => {
  it.each([
    ['03867199348', '038671•••••'],
    ['01025161013', '010251•••••'],
  ])('keeps the first six digits of %s', (identifier, masked) => {
    expect(maskPersonIdentifier(identifier)).toBe(masked);
  });

  it.each(['0386719934', '038671993481', '0386719934x', ''])(
    'hides %j whole when it is not 11 digits',
    (value) => {
      expect(maskPersonIdentifier(value)).toBe('•••••');
    },
  );
});

describe('maskedPartyUrn', () => {
  it('masks the fødselsnummer of a person URN, in any case of the prefix', () => {
    expect(maskedPartyUrn('urn:altinn:person:identifier-no:03867199348')).toBe(
      'urn:altinn:person:identifier-no:038671•••••',
    );
    expect(maskedPartyUrn('URN:ALTINN:PERSON:IDENTIFIER-NO:03867199348')).toBe(
      'urn:altinn:person:identifier-no:038671•••••',
    );
  });

  it('shows an organization URN in full', () => {
    expect(maskedPartyUrn('urn:altinn:organization:identifier-no:974760673')).toBe(
      'urn:altinn:organization:identifier-no:974760673',
    );
  });
});
