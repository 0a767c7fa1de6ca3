import { DomainError } from '@gw/http';

/** Stable codes of the personal-data lib. None is the caller's fault: each is a key set-up to fix. */
export type PersonalDataErrorCode =
  /** The configured keys are unusable: a bad length, a duplicate id, no active key. */
  | 'personal_data.invalid_keys'
  /** KMS would not unwrap a configured data key (wrong KMS key, encryption context, permission). */
  | 'personal_data.key_unwrap_failed'
  /** A stored value names a key this process does not have. */
  | 'personal_data.unknown_key'
  /** A stored value does not open under its key for its row: tampered, copied from another row, or other key material. */
  | 'personal_data.undecryptable';

export class PersonalDataError extends DomainError<PersonalDataErrorCode> {
  override readonly name = 'PersonalDataError';
}
