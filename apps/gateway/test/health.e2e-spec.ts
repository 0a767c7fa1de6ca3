import { Client } from 'pg';
import { gatewayConfigSchema, loadConfig } from '@gw/config';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { startGateway, type RunningGateway } from '../src/gateway.bootstrap';

function gatewayConfig(overrides: Record<string, string>) {
  return loadConfig(gatewayConfigSchema, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...overrides });
}

describe('gateway health', () => {
  let database: TestDatabase;
  let gateway: RunningGateway;

  beforeAll(async () => {
    database = await createTestDatabase();
    gateway = await startGateway(gatewayConfig({ DATABASE_URL: database.url }));
  });
  afterAll(async () => {
    await gateway.close();
    await database.drop();
  });

  it('is live without asking its dependencies', async () => {
    const response = await fetch(`${gateway.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when Postgres and Redis answer and every migration is applied', async () => {
    const response = await fetch(`${gateway.url}/health/ready`);
    expect(await response.json()).toMatchObject({
      ready: true,
      checks: { postgres: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(response.status).toBe(200);
  });

  it('is not ready while Redis cannot be reached', async () => {
    const broken = await startGateway(
      gatewayConfig({ DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    try {
      const response = await fetch(`${broken.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, checks: { redis: { status: 'down' } } });
    } finally {
      await broken.close();
    }
  });

  it('is not ready while migrations are pending', async () => {
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    const name = `sgw_test_bare_${Date.now().toString(36)}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(database.url);
    url.pathname = `/${name}`;
    const bare = await startGateway(gatewayConfig({ DATABASE_URL: url.toString() }));
    try {
      const response = await fetch(`${bare.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        ready: false,
        checks: { postgres: { status: 'up' }, migrations: { status: 'down', reason: 'migrations pending' } },
      });
    } finally {
      await bare.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
