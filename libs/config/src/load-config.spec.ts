import { ConfigError, loadConfig, simulatorConfigSchema, workerConfigSchema } from '@gw/config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig(simulatorConfigSchema, {});
    expect(config.SIMULATOR_PORT).toBe(3100);
    expect(config.SIMULATOR_FEED_LAG_SECONDS).toBe(300);
    expect(config.SIMULATOR_SEED).toBe(true);
  });

  it('treats an empty string as unset', () => {
    expect(loadConfig(simulatorConfigSchema, { SIMULATOR_PORT: '' }).SIMULATOR_PORT).toBe(3100);
  });

  it.each([
    ['SIMULATOR_PORT', 'not-a-port'],
    ['SIMULATOR_PORT', '70000'],
    ['SIMULATOR_FEED_LAG_SECONDS', '-1'],
    ['SIMULATOR_SEED', 'maybe'],
    ['SIMULATOR_PUBLIC_URL', 'not a url'],
  ])('refuses %s=%s and names the variable', (variable, value) => {
    expect(() => loadConfig(simulatorConfigSchema, { [variable]: value })).toThrow(variable);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig(workerConfigSchema, { PROVIDER_ORG_NUMBER: '12345', SIGNER: 'hsm' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
        'PROVIDER_ORG_NUMBER',
        'SIGNER',
      ]);
    }
  });

  describe('worker signing and token cache', () => {
    const cacheKey = Buffer.alloc(32, 7).toString('base64');
    /** Everything else production demands, so each case misses only what it is about. */
    const production = {
      NODE_ENV: 'production',
      WEBHOOK_SECRET_ENCRYPTION_KEY: cacheKey,
      DATABASE_URL: 'postgres://sgw@db.internal:5432/sgw',
      REDIS_URL: 'rediss://redis.internal:6379',
      MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
      MASKINPORTEN_CLIENT_ID: 'tt02-client',
      ALTINN_BASE_URL: 'https://platform.tt02.altinn.no',
      KMS_KEY_ID: 'alias/sgw-maskinporten-test',
      PROVIDER_ORG_NUMBER: '991825827',
      PERSONAL_DATA_WRAPPED_KEYS: `pd-1:${Buffer.alloc(48, 9).toString('base64')}`,
    };

    it('decodes the token cache key and splits the published KMS keys', () => {
      const config = loadConfig(workerConfigSchema, {
        TOKEN_CACHE_ENCRYPTION_KEY: cacheKey,
        KMS_PUBLISHED_KEY_IDS: 'alias/next, alias/previous,,alias/next',
      });
      expect(config.TOKEN_CACHE_ENCRYPTION_KEY).toEqual(Buffer.alloc(32, 7));
      expect(config.KMS_PUBLISHED_KEY_IDS).toEqual(['alias/next', 'alias/previous']);
      expect(config.MASKINPORTEN_TOKEN_TIMEOUT_MS).toBe(10_000);
    });

    it.each<[string, Record<string, string>]>([
      ['TOKEN_CACHE_ENCRYPTION_KEY', production],
      ['TOKEN_CACHE_ENCRYPTION_KEY', { TOKEN_CACHE_ENCRYPTION_KEY: 'c2hvcnQ=' }],
      [
        'SIGNER',
        {
          ...production,
          TOKEN_CACHE_ENCRYPTION_KEY: cacheKey,
          SIGNER: 'local',
          SIGNER_LOCAL_KEY_FILE: 'k.pem',
        },
      ],
      ['SIGNER_LOCAL_KEY_FILE', { SIGNER: 'local' }],
      ['KMS_SECRET_ACCESS_KEY', { KMS_ACCESS_KEY_ID: 'local' }],
      ['MASKINPORTEN_GRANT_LIFETIME_SECONDS', { MASKINPORTEN_GRANT_LIFETIME_SECONDS: '121' }],
    ])('refuses and names %s', (variable, env) => {
      let thrown: unknown;
      try {
        loadConfig(workerConfigSchema, env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).issues.map((issue) => issue.variable)).toEqual([variable]);
    });
  });
});
