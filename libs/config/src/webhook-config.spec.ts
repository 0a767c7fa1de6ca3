import { ConfigError, gatewayConfigSchema, loadConfig, workerConfigSchema } from '@gw/config';

const key = Buffer.alloc(32, 3).toString('base64');

function refusedVariables(
  schema: typeof gatewayConfigSchema | typeof workerConfigSchema,
  env: Record<string, string>,
) {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.variable);
  }
  return [];
}

describe('webhook config (gateway and worker)', () => {
  it.each([
    ['gateway', gatewayConfigSchema],
    ['worker', workerConfigSchema],
  ] as const)('%s: https only, no allow-list, 15 s timeout, real schedule by default', (_process, schema) => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      WEBHOOK_ALLOW_HTTP: false,
      WEBHOOK_ALLOWED_HOSTS: [],
      WEBHOOK_TIMEOUT_MS: 15_000,
      WEBHOOK_RETRY_SCALE: 1,
    });
    expect(config.WEBHOOK_SECRET_ENCRYPTION_KEY).toBeUndefined();
  });

  it('reads the key, the allow-list and the scale', () => {
    const config = loadConfig(workerConfigSchema, {
      WEBHOOK_SECRET_ENCRYPTION_KEY: key,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:4000, hooks.internal,,10.0.0.0/8',
      WEBHOOK_RETRY_SCALE: '0.001',
      WEBHOOK_ALLOW_HTTP: 'true',
    });
    expect(config.WEBHOOK_SECRET_ENCRYPTION_KEY).toEqual(Buffer.alloc(32, 3));
    expect(config.WEBHOOK_ALLOWED_HOSTS).toEqual(['127.0.0.1:4000', 'hooks.internal', '10.0.0.0/8']);
    expect(config.WEBHOOK_RETRY_SCALE).toBe(0.001);
    expect(config.WEBHOOK_ALLOW_HTTP).toBe(true);
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'WEBHOOK_SECRET_ENCRYPTION_KEY'],
    [
      { NODE_ENV: 'production', WEBHOOK_SECRET_ENCRYPTION_KEY: key, WEBHOOK_ALLOW_HTTP: 'true' },
      'WEBHOOK_ALLOW_HTTP',
    ],
    [{ WEBHOOK_SECRET_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'WEBHOOK_SECRET_ENCRYPTION_KEY'],
    [{ WEBHOOK_RETRY_SCALE: '0' }, 'WEBHOOK_RETRY_SCALE'],
    [{ WEBHOOK_TIMEOUT_MS: '120000' }, 'WEBHOOK_TIMEOUT_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(refusedVariables(gatewayConfigSchema, env)).toContain(variable);
    expect(refusedVariables(workerConfigSchema, env)).toContain(variable);
  });
});
