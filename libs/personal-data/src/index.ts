/**
 * Personal data at rest: values sealed with AES-256-GCM under a rotating data key (envelope encryption:
 * in production the data keys are wrapped by AWS KMS and unwrapped at process start), each bound to its
 * row, with keyed HMAC lookup values beside them. Today it protects `consent_requests.from_party`.
 */
export {
  PersonalDataCipher,
  KEY_ID_PATTERN,
  type DataKey,
  type LookupHash,
  type SealedValue,
} from './personal-data-cipher';
export { type RowBinding } from './domain/row-binding';
export {
  dataKeyEncryptionContext,
  generateWrappedDataKey,
  unwrapDataKeys,
  type PersonalDataKmsOptions,
  type WrappedDataKey,
} from './kms-data-keys';
export {
  DEVELOPMENT_PERSONAL_DATA_KEY,
  personalDataOptionsFrom,
  type PersonalDataConfig,
  type PersonalDataOptions,
} from './personal-data.options';
export { PersonalDataModule, createPersonalDataCipher } from './personal-data.module';
export { PersonalDataError, type PersonalDataErrorCode } from './personal-data.errors';
export {
  CONSENT_FROM_PARTY,
  migrateConsentParties,
  openConsentParty,
  sealConsentParty,
  type ConsentRowRef,
  type PartyMigrationOptions,
  type PartyMigrationResult,
  type SealedParty,
} from './consent-party';
