// Norwegian identifier checksums (docs/upstream-contract.md §2). The simulator keeps its own copy: it stands
// in for Altinn and must not share code with the gateway it checks.

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const PERSON_K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const PERSON_K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function mod11Control(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, weight, index) => acc + weight * digits[index], 0);
  return (11 - (sum % 11)) % 11;
}

export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const control = mod11Control(digits, ORG_WEIGHTS);
  return control !== 10 && control === digits[8];
}

/** Fødselsnummer, D-number and synthetic test numbers (month + 80): only the two control digits are checked. */
export function isValidPersonIdentifier(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const k1 = mod11Control(digits, PERSON_K1);
  if (k1 === 10 || k1 !== digits[9]) return false;
  const k2 = mod11Control(digits, PERSON_K2);
  return k2 !== 10 && k2 === digits[10];
}

export const PERSON_URN_PREFIX = 'urn:altinn:person:identifier-no:';
export const ORG_URN_PREFIX = 'urn:altinn:organization:identifier-no:';

export type PartyUrn = { kind: 'person'; identifier: string } | { kind: 'organization'; identifier: string };

/** Parses a party URN (case-insensitive prefix); undefined when the shape or checksum is wrong. */
export function parsePartyUrn(urn: string): PartyUrn | undefined {
  const lower = urn.toLowerCase();
  if (lower.startsWith(PERSON_URN_PREFIX)) {
    const identifier = urn.slice(PERSON_URN_PREFIX.length);
    return isValidPersonIdentifier(identifier) ? { kind: 'person', identifier } : undefined;
  }
  if (lower.startsWith(ORG_URN_PREFIX)) {
    const identifier = urn.slice(ORG_URN_PREFIX.length);
    return isValidOrgNumber(identifier) ? { kind: 'organization', identifier } : undefined;
  }
  return undefined;
}

export function partyUrn(party: PartyUrn): string {
  return (party.kind === 'person' ? PERSON_URN_PREFIX : ORG_URN_PREFIX) + party.identifier;
}
