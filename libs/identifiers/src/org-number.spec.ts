import { isValidOrgNumber } from './norwegian-identifiers';

describe('isValidOrgNumber', () => {
  it.each([
    ['313876144', 'the seeds’ tenant'],
    ['310149942', 'the seeds’ provider'],
    ['974760673', 'Brønnøysundregistrene'],
    ['991825827', 'Digitaliseringsdirektoratet'],
    ['123456785', 'a number whose control digit is 5'],
    ['000000000', 'all zeros (control 0)'],
  ])('accepts %s (%s)', (value) => {
    expect(isValidOrgNumber(value)).toBe(true);
  });

  it.each([
    ['313876145', 'a wrong control digit'],
    ['974760672', 'a wrong control digit'],
    ['123456789', 'a wrong control digit'],
    ['100000007', 'a wrong control digit'],
    ['100000130', 'a number whose control would be 10'],
    ['31387614', 'eight digits'],
    ['3138761440', 'ten digits'],
    ['31387614a', 'a letter'],
    [' 313876144', 'a leading space'],
    ['313 876 144', 'spaces'],
    ['', 'the empty string'],
  ])('refuses %s (%s)', (value) => {
    expect(isValidOrgNumber(value)).toBe(false);
  });

  it.each(Array.from({ length: 10 }, (_, digit) => digit))(
    'refuses control digit %i when the MOD11 control would be 10',
    (digit) => {
      // 00000040: 4 × weight 3 = 12, 12 mod 11 = 1, control 11 − 1 = 10: no valid number has this prefix.
      expect(isValidOrgNumber(`00000040${digit}`)).toBe(false);
    },
  );
});
