const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/**
 * upstream-contract §2: a Norwegian organisation number is 9 digits whose last is a MOD11 control digit
 * (weights 3,2,7,6,5,4,3,2; control `(11 − sum mod 11) mod 11`; a control of 10 means no valid number).
 */
export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  const control = (11 - (sum % 11)) % 11;
  return control !== 10 && control === Number(value[8]);
}
