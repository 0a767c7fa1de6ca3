import { kmsConnectionOf, type KmsConnectionConfig } from '@gw/config';
import { type PersonalDataKmsOptions, type WrappedDataKey } from './kms-data-keys';
import { type DataKey } from './personal-data-cipher';

/** How this process gets its data keys; built from its config (PERSONAL_DATA_* variables). */
export interface PersonalDataOptions {
  /** Plain data keys (development and tests; the config refuses them in production). */
  keys: readonly DataKey[];
  /** Data keys wrapped by KMS, unwrapped at start (production). */
  wrappedKeys: readonly WrappedDataKey[];
  /** The key new values are sealed under; the others only open. */
  activeKeyId: string;
  /** Required when `wrappedKeys` is not empty. */
  kms?: PersonalDataKmsOptions;
}

/**
 * DEVELOPMENT ONLY — NOT A SECRET. Used when no PERSONAL_DATA_KEYS or PERSONAL_DATA_WRAPPED_KEYS is set
 * outside production (the config refuses to start production without wrapped keys).
 */
export const DEVELOPMENT_PERSONAL_DATA_KEY: DataKey = {
  keyId: 'development',
  key: Buffer.from('NOT-A-SECRET-sgw-dev-personaldat', 'utf8'),
};

/** The PERSONAL_DATA_* and KMS variables the gateway's, the worker's and the migration's configs carry. */
export interface PersonalDataConfig extends KmsConnectionConfig {
  NODE_ENV: string;
  PERSONAL_DATA_KEYS: readonly DataKey[];
  PERSONAL_DATA_WRAPPED_KEYS: readonly WrappedDataKey[];
  PERSONAL_DATA_ACTIVE_KEY_ID?: string;
  PERSONAL_DATA_KMS_KEY_ID: string;
}

/** Options from a process's validated config; the development key when none is configured. */
export function personalDataOptionsFrom(config: PersonalDataConfig): PersonalDataOptions {
  const configured = [...config.PERSONAL_DATA_KEYS, ...config.PERSONAL_DATA_WRAPPED_KEYS];
  if (configured.length === 0) {
    return {
      keys: [DEVELOPMENT_PERSONAL_DATA_KEY],
      wrappedKeys: [],
      activeKeyId: DEVELOPMENT_PERSONAL_DATA_KEY.keyId,
    };
  }
  return {
    keys: config.PERSONAL_DATA_KEYS,
    wrappedKeys: config.PERSONAL_DATA_WRAPPED_KEYS,
    // The config requires the variable when more than one key is configured.
    activeKeyId: config.PERSONAL_DATA_ACTIVE_KEY_ID ?? configured[0].keyId,
    kms:
      config.PERSONAL_DATA_WRAPPED_KEYS.length === 0
        ? undefined
        : { ...kmsConnectionOf(config), wrappingKeyId: config.PERSONAL_DATA_KMS_KEY_ID },
  };
}
