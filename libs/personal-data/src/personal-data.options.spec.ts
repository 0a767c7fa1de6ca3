import { randomBytes } from 'node:crypto';
import {
  DEVELOPMENT_PERSONAL_DATA_KEY,
  personalDataOptionsFrom,
  type PersonalDataConfig,
} from './personal-data.options';

const base: PersonalDataConfig = {
  NODE_ENV: 'development',
  PERSONAL_DATA_KEYS: [],
  PERSONAL_DATA_WRAPPED_KEYS: [],
  PERSONAL_DATA_KMS_KEY_ID: 'alias/sgw-personal-data',
  AWS_REGION: 'eu-north-1',
  KMS_TIMEOUT_MS: 5000,
};

describe('personalDataOptionsFrom', () => {
  it('uses the development key when no key is configured', () => {
    expect(personalDataOptionsFrom(base)).toEqual({
      keys: [DEVELOPMENT_PERSONAL_DATA_KEY],
      wrappedKeys: [],
      activeKeyId: 'development',
    });
    expect(DEVELOPMENT_PERSONAL_DATA_KEY.key).toHaveLength(32);
  });

  it('takes the only configured key as the active one', () => {
    const key = { keyId: 'k1', key: randomBytes(32) };
    expect(personalDataOptionsFrom({ ...base, PERSONAL_DATA_KEYS: [key] })).toMatchObject({
      keys: [key],
      activeKeyId: 'k1',
      kms: undefined,
    });
  });

  it('unwraps wrapped keys through the configured KMS under the personal-data KMS key', () => {
    const wrapped = { keyId: 'k2', ciphertextBlob: randomBytes(100) };
    const options = personalDataOptionsFrom({
      ...base,
      NODE_ENV: 'production',
      PERSONAL_DATA_WRAPPED_KEYS: [wrapped],
      PERSONAL_DATA_ACTIVE_KEY_ID: 'k2',
      KMS_ENDPOINT: 'http://127.0.0.1:3100',
      KMS_ACCESS_KEY_ID: 'id',
      KMS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(options).toEqual({
      keys: [],
      wrappedKeys: [wrapped],
      activeKeyId: 'k2',
      kms: {
        region: 'eu-north-1',
        endpoint: 'http://127.0.0.1:3100',
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        requestTimeoutMs: 5000,
        wrappingKeyId: 'alias/sgw-personal-data',
      },
    });
  });
});
