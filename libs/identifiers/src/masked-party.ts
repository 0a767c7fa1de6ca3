import { PERSON_URN_PREFIX } from './norwegian-identifiers';

/** What stands for the hidden digits of a masked fødselsnummer. */
const HIDDEN = '•••••';

/**
 * A fødselsnummer as operators may see it: the first six digits (the birth date), then `•••••`
 * (`03867199348` → `038671•••••`). Anything that is not eleven digits is hidden whole, so a malformed
 * value never shows more than a valid one would.
 */
export function maskPersonIdentifier(identifier: string): string {
  return /^\d{11}$/.test(identifier) ? `${identifier.slice(0, 6)}${HIDDEN}` : HIDDEN;
}

/**
 * A consent party (`from`, `requiredDelegator`) for operators: a person's URN with its fødselsnummer
 * masked, an organization's URN (an org number is public) as it is.
 */
export function maskedPartyUrn(urn: string): string {
  if (!urn.toLowerCase().startsWith(PERSON_URN_PREFIX)) return urn;
  return `${PERSON_URN_PREFIX}${maskPersonIdentifier(urn.slice(PERSON_URN_PREFIX.length))}`;
}
