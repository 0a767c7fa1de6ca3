import { isValidOrgNumber } from './org-number';

describe('isValidOrgNumber', () => {
  it.each([
    ['310149942', true],
    ['313876144', true],
    ['974760673', true],
    ['100000008', true],
    ['310149943', false],
    ['31014994', false],
    ['3101499420', false],
    ['31014994a', false],
    [' 310149942', false],
    ['', false],
  ])('%s → %s', (orgNumber, valid) => {
    expect(isValidOrgNumber(orgNumber)).toBe(valid);
  });

  it.each(Array.from({ length: 10 }, (_, digit) => digit))(
    'refuses control digit %i when the MOD11 control would be 10',
    (digit) => {
      // 00000040: 4 × weight 3 = 12, 12 mod 11 = 1, control 11 − 1 = 10: no valid number has this prefix.
      expect(isValidOrgNumber(`00000040${digit}`)).toBe(false);
    },
  );
});
