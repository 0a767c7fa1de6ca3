import { isValidOrgNumber, isValidPersonIdentifier, parsePartyUrn } from './norwegian-identifiers';

describe('isValidPersonIdentifier', () => {
  it.each([
    ['a synthetic test number (month + 80)', '03867199348', true],
    ['another synthetic test number', '01025161013', true],
    ['a fødselsnummer', '01018036742', true],
    ['a D-number (day + 40)', '41018036736', true],
    ['an H-number (month + 40)', '01417199175', true],
    ['a wrong K2', '41018036737', false],
    ['a wrong K1', '41018036746', false],
    ['a prefix whose K1 would be 10', '41129912300', false],
    ['10 digits', '0386719934', false],
    ['12 digits', '038671993480', false],
    ['a letter', '0386719934x', false],
    ['surrounding spaces', ' 03867199348', false],
    ['nothing', '', false],
  ])('%s (%s) → %s', (_label, value, valid) => {
    expect(isValidPersonIdentifier(value)).toBe(valid);
  });
});

describe('isValidOrgNumber', () => {
  it.each([
    ['310149942', true],
    ['313876144', true],
    ['974760673', true],
    ['310149943', false],
    ['31014994', false],
    ['3101499420', false],
    ['31014994a', false],
    ['000000400', false],
  ])('%s → %s', (value, valid) => {
    expect(isValidOrgNumber(value)).toBe(valid);
  });

  it.each(Array.from({ length: 10 }, (_, digit) => digit))(
    'refuses control digit %i when the MOD11 control would be 10',
    (digit) => {
      // 00000040: 4 × weight 3 = 12, 12 mod 11 = 1, control 11 − 1 = 10.
      expect(isValidOrgNumber(`00000040${digit}`)).toBe(false);
    },
  );
});

describe('parsePartyUrn', () => {
  it.each([
    [
      'urn:altinn:person:identifier-no:03867199348',
      {
        ok: true,
        kind: 'person',
        identifier: '03867199348',
        urn: 'urn:altinn:person:identifier-no:03867199348',
      },
    ],
    [
      'URN:Altinn:Organization:Identifier-No:313876144',
      {
        ok: true,
        kind: 'organization',
        identifier: '313876144',
        urn: 'urn:altinn:organization:identifier-no:313876144',
      },
    ],
    ['urn:altinn:person:identifier-no:03867199349', { ok: false, reason: 'invalid_person_identifier' }],
    ['urn:altinn:person:identifier-no:313876144', { ok: false, reason: 'invalid_person_identifier' }],
    ['urn:altinn:organization:identifier-no:313876145', { ok: false, reason: 'invalid_org_number' }],
    ['urn:altinn:organization:identifier-no:03867199348', { ok: false, reason: 'invalid_org_number' }],
    ['03867199348', { ok: false, reason: 'not_a_party_urn' }],
    ['urn:altinn:party:uuid:0198a6e4-4b53-7c3a-9a1e-1f2d3c4b5a69', { ok: false, reason: 'not_a_party_urn' }],
  ])('%s → %o', (value, expected) => {
    expect(parsePartyUrn(value)).toEqual(expected);
  });
});
