// Norwegian identifier checksums (docs/upstream-contract.md §2 "Create body"), for every lib that checks an
// org number or a person. The simulator keeps its own copy: it stands in for Altinn and must not share code
// with what it checks.

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const PERSON_K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const PERSON_K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** `(11 − Σ weight·digit mod 11) mod 11`; 10 means no valid control digit exists. */
function mod11Control(digits: readonly number[], weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, index) => total + weight * digits[index], 0);
  return (11 - (sum % 11)) % 11;
}

/** 9 digits whose last is the MOD11 control (weights 3,2,7,6,5,4,3,2; control 10 is invalid). */
export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const control = mod11Control(digits, ORG_WEIGHTS);
  return control !== 10 && control === digits[8];
}

/**
 * A fødselsnummer, D-number (day + 40), H-number (month + 40) or synthetic test number (month + 80):
 * 11 digits whose last two are the K1 and K2 controls. Only the controls are checked, as the contract
 * says; the date part is not, so every kind of number passes the same rule.
 */
export function isValidPersonIdentifier(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const k1 = mod11Control(digits, PERSON_K1_WEIGHTS);
  if (k1 === 10 || k1 !== digits[9]) return false;
  const k2 = mod11Control(digits, PERSON_K2_WEIGHTS);
  return k2 !== 10 && k2 === digits[10];
}

export const PERSON_URN_PREFIX = 'urn:altinn:person:identifier-no:';
export const ORGANIZATION_URN_PREFIX = 'urn:altinn:organization:identifier-no:';

export function organizationUrn(orgNumber: string): string {
  return `${ORGANIZATION_URN_PREFIX}${orgNumber}`;
}

export type PartyUrnParse =
  | { ok: true; kind: 'person' | 'organization'; identifier: string; urn: string }
  | { ok: false; reason: 'not_a_party_urn' | 'invalid_person_identifier' | 'invalid_org_number' };

/**
 * A person or organisation URN; the prefix is matched case-insensitively and written back lower-case.
 * Refusals never repeat the identifier: it may be a fødselsnummer.
 */
export function parsePartyUrn(value: string): PartyUrnParse {
  const lower = value.toLowerCase();
  if (lower.startsWith(PERSON_URN_PREFIX)) {
    const identifier = value.slice(PERSON_URN_PREFIX.length);
    return isValidPersonIdentifier(identifier)
      ? { ok: true, kind: 'person', identifier, urn: `${PERSON_URN_PREFIX}${identifier}` }
      : { ok: false, reason: 'invalid_person_identifier' };
  }
  if (lower.startsWith(ORGANIZATION_URN_PREFIX)) {
    const identifier = value.slice(ORGANIZATION_URN_PREFIX.length);
    return isValidOrgNumber(identifier)
      ? { ok: true, kind: 'organization', identifier, urn: organizationUrn(identifier) }
      : { ok: false, reason: 'invalid_org_number' };
  }
  return { ok: false, reason: 'not_a_party_urn' };
}
