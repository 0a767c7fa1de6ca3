import { ConfigError, gatewayConfigSchema, loadConfig } from '@gw/config';

const key = (char: string) => char.repeat(32);
/** The rest of what production demands, so each case misses only what it is about. */
const productionSecrets = {
  TOKEN_CACHE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  WEBHOOK_SECRET_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  DATABASE_URL: 'postgres://sgw@db.internal:5432/sgw',
  REDIS_URL: 'rediss://redis.internal:6379',
  MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
  MASKINPORTEN_CLIENT_ID: 'tt02-client',
  PROVIDER_ORG_NUMBER: '991825827',
  PERSONAL_DATA_WRAPPED_KEYS: `pd-1:${Buffer.alloc(48, 9).toString('base64')}`,
};

describe('gateway config', () => {
  it('has no admin key and dev keys by default outside production', () => {
    const config = loadConfig(gatewayConfigSchema, {});
    expect(config.ADMIN_API_KEY).toEqual([]);
    expect(config.API_KEY_ENVIRONMENT).toBe('dev');
  });

  it('splits several admin keys at commas and names live keys in production', () => {
    const config = loadConfig(gatewayConfigSchema, {
      NODE_ENV: 'production',
      ...productionSecrets,
      ADMIN_API_KEY: `${key('a')}, ${key('b')},,${key('a')}`,
    });
    expect(config.ADMIN_API_KEY).toEqual([key('a'), key('b')]);
    expect(config.API_KEY_ENVIRONMENT).toBe('live');
  });

  it.each<[string, Record<string, string>, { MANAGEMENT_PORT: number; MANAGEMENT_HOST: string }]>([
    [
      'beside the public port, on this machine only',
      {},
      { MANAGEMENT_PORT: 3002, MANAGEMENT_HOST: '127.0.0.1' },
    ],
    ['on a free port when PORT is 0', { PORT: '0' }, { MANAGEMENT_PORT: 0, MANAGEMENT_HOST: '127.0.0.1' }],
    [
      'on every interface in production',
      { NODE_ENV: 'production', ...productionSecrets, ADMIN_API_KEY: key('a') },
      { MANAGEMENT_PORT: 3002, MANAGEMENT_HOST: '0.0.0.0' },
    ],
    [
      'where it is told',
      { MANAGEMENT_PORT: '9090', MANAGEMENT_HOST: '10.0.0.7' },
      { MANAGEMENT_PORT: 9090, MANAGEMENT_HOST: '10.0.0.7' },
    ],
  ])('serves the management listener %s', (_case, env, listener) => {
    expect(loadConfig(gatewayConfigSchema, env)).toMatchObject({ PORT: expect.any(Number), ...listener });
  });

  it.each<[string, Record<string, string>]>([
    ['MANAGEMENT_PORT', { PORT: '8080', MANAGEMENT_PORT: '8080' }],
    ['MANAGEMENT_PORT', { PORT: '3002' }],
    ['MANAGEMENT_PORT', { MANAGEMENT_PORT: '70000' }],
    ['ADMIN_API_KEY', { NODE_ENV: 'production', ...productionSecrets }],
    ['ADMIN_API_KEY', { ADMIN_API_KEY: `${key('a')},short` }],
    ['ADMIN_API_KEY', { ADMIN_API_KEY: ' , ' }],
    ['API_KEY_ENVIRONMENT', { API_KEY_ENVIRONMENT: 'Live' }],
  ])('refuses and names %s', (variable, env) => {
    let thrown: unknown;
    try {
      loadConfig(gatewayConfigSchema, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((issue) => issue.variable)[0]).toMatch(
      new RegExp(`^${variable}(\\.|$)`),
    );
  });
});
