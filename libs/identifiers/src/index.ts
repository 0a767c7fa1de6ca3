export {
  isValidOrgNumber,
  isValidPersonIdentifier,
  organizationUrn,
  parsePartyUrn,
  ORGANIZATION_URN_PREFIX,
  PERSON_URN_PREFIX,
  type PartyUrnParse,
} from './norwegian-identifiers';
export { maskedPartyUrn, maskPersonIdentifier } from './masked-party';
export { asTenantId, tenantIdSchema, type TenantId } from './tenant-id';
