import {
  ConfigError,
  gatewayConfigSchema,
  loadConfig,
  migrateConfigSchema,
  workerConfigSchema,
} from '@gw/config';

const dataKey = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const blob = Buffer.alloc(184, 9).toString('base64');
const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://sgw@db.internal:5432/sgw' };

function refusal(schema: typeof migrateConfigSchema, env: Record<string, string>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const variables = (error: ConfigError) => error.issues.map((issue) => issue.variable);

describe('personal-data configuration', () => {
  it('reads plain and wrapped data keys as `<keyId>:<base64>` lists', () => {
    const config = loadConfig(migrateConfigSchema, {
      PERSONAL_DATA_KEYS: `old:${dataKey(1)}, new:${dataKey(2)}`,
      PERSONAL_DATA_WRAPPED_KEYS: `kms-1:${blob}`,
      PERSONAL_DATA_ACTIVE_KEY_ID: 'new',
    });
    expect(config.PERSONAL_DATA_KEYS).toEqual([
      { keyId: 'old', key: Buffer.alloc(32, 1) },
      { keyId: 'new', key: Buffer.alloc(32, 2) },
    ]);
    expect(config.PERSONAL_DATA_WRAPPED_KEYS).toEqual([
      { keyId: 'kms-1', ciphertextBlob: Buffer.alloc(184, 9) },
    ]);
    expect(config.PERSONAL_DATA_KMS_KEY_ID).toBe('alias/sgw-personal-data');
  });

  it('configures no key outside production, so the development key is used', () => {
    for (const schema of [gatewayConfigSchema, workerConfigSchema, migrateConfigSchema] as const) {
      const config = loadConfig(schema as typeof migrateConfigSchema, {});
      expect(config).toMatchObject({ PERSONAL_DATA_KEYS: [], PERSONAL_DATA_WRAPPED_KEYS: [] });
    }
  });

  it('accepts wrapped keys alone in production', () => {
    expect(
      loadConfig(migrateConfigSchema, { ...production, PERSONAL_DATA_WRAPPED_KEYS: `k1:${blob}` }),
    ).toMatchObject({
      PERSONAL_DATA_WRAPPED_KEYS: [{ keyId: 'k1' }],
    });
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'a key of 16 bytes',
      { PERSONAL_DATA_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` },
      'PERSONAL_DATA_KEYS',
      /of 32 bytes/,
    ],
    ['an item without a key id', { PERSONAL_DATA_KEYS: dataKey(1) }, 'PERSONAL_DATA_KEYS', /<keyId>:<base64/],
    [
      'a key id with a space',
      { PERSONAL_DATA_WRAPPED_KEYS: `k 1:${blob}` },
      'PERSONAL_DATA_WRAPPED_KEYS',
      /<keyId>/,
    ],
    [
      'a key id twice',
      { PERSONAL_DATA_KEYS: `k1:${dataKey(1)},k1:${dataKey(2)}` },
      'PERSONAL_DATA_KEYS',
      /"k1" twice/,
    ],
    [
      'a key id in both lists',
      {
        PERSONAL_DATA_KEYS: `k1:${dataKey(1)}`,
        PERSONAL_DATA_WRAPPED_KEYS: `k1:${blob}`,
        PERSONAL_DATA_ACTIVE_KEY_ID: 'k1',
      },
      'PERSONAL_DATA_WRAPPED_KEYS',
      /"k1" is also in PERSONAL_DATA_KEYS/,
    ],
    [
      'an active key that is not configured',
      { PERSONAL_DATA_KEYS: `k1:${dataKey(1)}`, PERSONAL_DATA_ACTIVE_KEY_ID: 'k2' },
      'PERSONAL_DATA_ACTIVE_KEY_ID',
      /names no configured key \(k1\)/,
    ],
    [
      'two keys without an active one',
      { PERSONAL_DATA_KEYS: `k1:${dataKey(1)},k2:${dataKey(2)}` },
      'PERSONAL_DATA_ACTIVE_KEY_ID',
      /more than one/,
    ],
  ])('refuses %s and names the variable', (_case, env, variable, message) => {
    const error = refusal(migrateConfigSchema, env);
    expect(error.issues).toEqual([{ variable, message: expect.stringMatching(message) }]);
  });

  it('never repeats key material in its refusals', () => {
    const error = refusal(migrateConfigSchema, {
      PERSONAL_DATA_KEYS: `k1:${dataKey(1)},k2:${Buffer.alloc(20, 3).toString('base64')}`,
    });
    expect(error.message).not.toContain(dataKey(1));
    expect(error.message).not.toContain(Buffer.alloc(20, 3).toString('base64'));
  });

  describe('in production', () => {
    it('refuses plain data keys: they come only wrapped by KMS', () => {
      const error = refusal(migrateConfigSchema, {
        ...production,
        PERSONAL_DATA_KEYS: `k1:${dataKey(1)}`,
        PERSONAL_DATA_WRAPPED_KEYS: `k2:${blob}`,
        PERSONAL_DATA_ACTIVE_KEY_ID: 'k2',
      });
      expect(error.issues).toEqual([
        {
          variable: 'PERSONAL_DATA_KEYS',
          message: expect.stringMatching(/must be unset when NODE_ENV=production/),
        },
      ]);
    });

    it.each([
      ['the migration', migrateConfigSchema],
      ['the gateway', gatewayConfigSchema],
      ['the worker', workerConfigSchema],
    ] as const)('requires wrapped keys for %s', (_process, schema) => {
      expect(variables(refusal(schema as typeof migrateConfigSchema, production))).toContain(
        'PERSONAL_DATA_WRAPPED_KEYS',
      );
    });
  });
});
