import {
  ConfigError,
  gatewayConfigSchema,
  loadConfig,
  migrateConfigSchema,
  workerConfigSchema,
} from '@gw/config';
import { isLocalHost } from './production-upstreams';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

/** What the gateway and the worker share in a TT02 deployment (the secrets are fakes). */
const tt02 = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://sgw:secret@db.internal:5432/samtykke_gateway',
  REDIS_URL: 'rediss://:secret@redis.internal:6379',
  MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
  MASKINPORTEN_CLIENT_ID: '2f6a1c9e-3d4b-4c7a-9e1f-8b2d5a7c0e13',
  PROVIDER_ORG_NUMBER: '991825827',
  TOKEN_CACHE_ENCRYPTION_KEY: key(1),
  WEBHOOK_SECRET_ENCRYPTION_KEY: key(2),
  /** Data keys for personal data at rest, as KMS wrapped them (production demands them). */
  PERSONAL_DATA_WRAPPED_KEYS: `pd-1:${Buffer.alloc(48, 9).toString('base64')}`,
};
const tt02Worker = {
  ...tt02,
  ALTINN_BASE_URL: 'https://platform.tt02.altinn.no',
  SIGNER: 'kms',
  KMS_KEY_ID: 'alias/sgw-maskinporten-test',
  AWS_REGION: 'eu-north-1',
};
const tt02Gateway = { ...tt02, ADMIN_API_KEY: 'a'.repeat(32) };
const productionWorker = {
  ...tt02Worker,
  MASKINPORTEN_ISSUER: 'https://maskinporten.no/',
  ALTINN_BASE_URL: 'https://platform.altinn.no',
  KMS_KEY_ID: 'arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

/** Loads and answers the variables named by the refusal, or [] when the configuration is accepted. */
function refused(
  schema: typeof gatewayConfigSchema | typeof workerConfigSchema | typeof migrateConfigSchema,
  env: Record<string, string | undefined>,
): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.variable).sort();
  }
}

describe('production configuration', () => {
  it.each([
    ['worker, TT02', workerConfigSchema, tt02Worker],
    ['worker, production', workerConfigSchema, productionWorker],
    ['gateway, TT02', gatewayConfigSchema, tt02Gateway],
  ] as const)('accepts a real deployment (%s)', (_case, schema, env) => {
    expect(refused(schema, env)).toEqual([]);
  });

  it('has no defaults for the upstreams, the provider and the stores', () => {
    expect(
      refused(workerConfigSchema, {
        NODE_ENV: 'production',
        TOKEN_CACHE_ENCRYPTION_KEY: key(1),
        WEBHOOK_SECRET_ENCRYPTION_KEY: key(2),
        PERSONAL_DATA_WRAPPED_KEYS: tt02.PERSONAL_DATA_WRAPPED_KEYS,
      }),
    ).toEqual([
      'ALTINN_BASE_URL',
      'DATABASE_URL',
      'KMS_KEY_ID',
      'MASKINPORTEN_CLIENT_ID',
      'MASKINPORTEN_ISSUER',
      'PROVIDER_ORG_NUMBER',
      'REDIS_URL',
    ]);
    expect(
      refused(gatewayConfigSchema, {
        NODE_ENV: 'production',
        TOKEN_CACHE_ENCRYPTION_KEY: key(1),
        WEBHOOK_SECRET_ENCRYPTION_KEY: key(2),
        PERSONAL_DATA_WRAPPED_KEYS: tt02.PERSONAL_DATA_WRAPPED_KEYS,
        ADMIN_API_KEY: 'a'.repeat(32),
      }),
    ).toEqual([
      'DATABASE_URL',
      'MASKINPORTEN_CLIENT_ID',
      'MASKINPORTEN_ISSUER',
      'PROVIDER_ORG_NUMBER',
      'REDIS_URL',
    ]);
    expect(
      refused(migrateConfigSchema, {
        NODE_ENV: 'production',
        PERSONAL_DATA_WRAPPED_KEYS: tt02.PERSONAL_DATA_WRAPPED_KEYS,
      }),
    ).toEqual(['DATABASE_URL']);
  });

  it.each<[string, string]>([
    ['MASKINPORTEN_ISSUER', 'http://127.0.0.1:3100/'],
    ['MASKINPORTEN_ISSUER', 'https://localhost:3100/'],
    ['MASKINPORTEN_ISSUER', 'https://[::1]:3100/'],
    ['MASKINPORTEN_ISSUER', 'http://test.maskinporten.no/'],
    ['MASKINPORTEN_TOKEN_ENDPOINT', 'http://127.0.0.1:3100/token'],
    ['MASKINPORTEN_TOKEN_ENDPOINT', 'https://127.1/token'],
    ['ALTINN_BASE_URL', 'http://127.0.0.1:3100'],
    ['ALTINN_BASE_URL', 'https://sim.localhost'],
    ['ALTINN_BASE_URL', 'http://platform.tt02.altinn.no'],
    ['KMS_ENDPOINT', 'http://127.0.0.1:3100'],
    ['KMS_ENDPOINT', 'https://[::ffff:127.0.0.1]:4566'],
    ['KMS_ENDPOINT', 'http://kms.eu-north-1.amazonaws.com'],
    ['MASKINPORTEN_CLIENT_ID', 'sgw-local-client'],
    ['PROVIDER_ORG_NUMBER', '310149942'],
    ['SIGNER', 'local'],
  ])('worker: refuses %s=%s and names it', (variable, value) => {
    const env = { ...tt02Worker, [variable]: value, SIGNER_LOCAL_KEY_FILE: 'key.pem' };
    expect(refused(workerConfigSchema, env)).toEqual([variable]);
  });

  it.each<[string, string]>([
    ['MASKINPORTEN_ISSUER', 'http://127.0.0.1:3100/'],
    ['MASKINPORTEN_ISSUER', 'http://maskinporten.no/'],
    ['MASKINPORTEN_CLIENT_ID', 'sgw-local-client'],
    ['PROVIDER_ORG_NUMBER', '310149942'],
  ])('gateway: refuses %s=%s and names it', (variable, value) => {
    expect(refused(gatewayConfigSchema, { ...tt02Gateway, [variable]: value })).toEqual([variable]);
  });

  it('accepts loopback stores: a database or Redis proxy beside the process is a real deployment', () => {
    expect(
      refused(workerConfigSchema, {
        ...tt02Worker,
        DATABASE_URL: 'postgres://sgw:secret@127.0.0.1:5432/sgw',
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    ).toEqual([]);
  });

  describe('SGW_ALLOW_LOCAL_UPSTREAMS (a production-mode stack on one machine)', () => {
    const local = {
      ...tt02Worker,
      MASKINPORTEN_ISSUER: 'http://127.0.0.1:3100/',
      MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
      ALTINN_BASE_URL: 'http://127.0.0.1:3100',
      KMS_ENDPOINT: 'http://127.0.0.1:3100',
      PROVIDER_ORG_NUMBER: '310149942',
    };

    it('waives the upstream checks', () => {
      expect(refused(workerConfigSchema, { ...local, SGW_ALLOW_LOCAL_UPSTREAMS: '1' })).toEqual([]);
      expect(
        refused(gatewayConfigSchema, { ...tt02Gateway, ...local, SGW_ALLOW_LOCAL_UPSTREAMS: 'true' }),
      ).toEqual([]);
    });

    it('still requires every variable', () => {
      expect(
        refused(workerConfigSchema, { ...local, KMS_KEY_ID: undefined, SGW_ALLOW_LOCAL_UPSTREAMS: '1' }),
      ).toEqual(['KMS_KEY_ID']);
    });

    it('is refused in Kubernetes, and the checks apply', () => {
      expect(
        refused(workerConfigSchema, {
          ...local,
          SGW_ALLOW_LOCAL_UPSTREAMS: '1',
          KUBERNETES_SERVICE_HOST: '10.96.0.1',
        }),
      ).toEqual([
        'ALTINN_BASE_URL',
        'KMS_ENDPOINT',
        'MASKINPORTEN_CLIENT_ID',
        'MASKINPORTEN_ISSUER',
        'PROVIDER_ORG_NUMBER',
        'SGW_ALLOW_LOCAL_UPSTREAMS',
      ]);
    });
  });

  it('defaults to the simulator and its seeds outside production', () => {
    const config = loadConfig(workerConfigSchema, { NODE_ENV: 'development' });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MASKINPORTEN_ISSUER: 'http://127.0.0.1:3100/',
      MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
      ALTINN_BASE_URL: 'http://127.0.0.1:3100',
      KMS_KEY_ID: 'alias/sgw-maskinporten',
      PROVIDER_ORG_NUMBER: '310149942',
    });
    expect(loadConfig(migrateConfigSchema, {}).DATABASE_URL).toBe(
      'postgres://postgres@127.0.0.1:5432/postgres',
    );
  });

  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['0.0.0.0', true],
    ['[::1]', true],
    ['[::]', true],
    ['[::ffff:7f00:1]', true],
    ['localhost', true],
    ['LOCALHOST.', true],
    ['kms.localhost', true],
    ['10.0.0.5', false],
    ['[::ffff:a00:5]', false],
    ['platform.tt02.altinn.no', false],
    ['localhost.example.com', false],
  ])('isLocalHost(%s) is %s', (hostname, local) => {
    expect(isLocalHost(hostname)).toBe(local);
  });
});
