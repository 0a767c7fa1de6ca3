import { parsePartyUrn, partyUrn } from '../../core/identifiers';
import { refuse, type Verdict } from './token-error';

export const CONSENT_DETAIL_TYPE = 'urn:altinn:consent';
/**
 * Announced in the metadata (docs/upstream-contract.md §1); the simulator has no system users, so it refuses
 * it.
 */
export const SYSTEM_USER_DETAIL_TYPE = 'urn:altinn:systemuser';

/** The consent a grant asks a token for. */
export interface ConsentGrantDetail {
  /** The consent request's UUID, lower-case. */
  id: string;
  /** The party who consents, as a URN with a lower-case prefix. */
  from: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONSENT_FIELDS = ['type', 'id', 'from'];

/**
 * docs/upstream-contract.md §1: `authorization_details` is an array; for consent exactly one
 * `{type: "urn:altinn:consent", id, from}` and no other field. MP-301 unknown type, MP-302 unknown field,
 * MP-303 bad value (a missing or second entry included: "only one consent per token").
 */
export function checkAuthorizationDetails(value: unknown): Verdict<ConsentGrantDetail> {
  if (!Array.isArray(value)) {
    return refuse('invalid_grant', 'MP-303', 'authorization_details must be an array');
  }
  if (value.length !== 1) {
    return refuse('invalid_grant', 'MP-303', `Only one consent per token, not ${value.length} entries`);
  }
  const [detail] = value as unknown[];
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return refuse('invalid_grant', 'MP-303', 'An authorization_details entry must be an object');
  }
  const fields = detail as Record<string, unknown>;
  if (fields.type === SYSTEM_USER_DETAIL_TYPE) {
    return refuse(
      'invalid_grant',
      'MP-301',
      `The simulator does not issue ${SYSTEM_USER_DETAIL_TYPE} tokens`,
    );
  }
  if (fields.type !== CONSENT_DETAIL_TYPE) {
    return refuse(
      'invalid_grant',
      'MP-301',
      `Unknown authorization_details type ${JSON.stringify(fields.type ?? null)}`,
    );
  }
  const unknown = Object.keys(fields).filter((field) => !CONSENT_FIELDS.includes(field));
  if (unknown.length > 0) {
    return refuse(
      'invalid_grant',
      'MP-302',
      `Unknown field(s) in authorization_details: ${unknown.join(', ')}`,
    );
  }
  if (typeof fields.id !== 'string' || !UUID.test(fields.id)) {
    return refuse('invalid_grant', 'MP-303', 'authorization_details id must be the consent request UUID');
  }
  const from = typeof fields.from === 'string' ? parsePartyUrn(fields.from) : undefined;
  if (!from) {
    return refuse(
      'invalid_grant',
      'MP-303',
      'authorization_details from must be a person or organization URN with a valid check digit',
    );
  }
  return { ok: true, value: { id: fields.id.toLowerCase(), from: partyUrn(from) } };
}
