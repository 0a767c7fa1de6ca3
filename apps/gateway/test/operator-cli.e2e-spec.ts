import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, GatewayTestKit } from './gateway-test-kit';

const run = promisify(execFile);
const CLI = join(__dirname, '../../../scripts/cli.mjs');

describe('operator CLI (scripts/cli.mjs over the admin API)', () => {
  const kit = new GatewayTestKit();

  beforeAll(async () => {
    await kit.start();
  });
  afterAll(async () => {
    await kit.close();
  });

  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, GATEWAY_ADMIN_URL: kit.adminUrl, ADMIN_API_KEY: ADMIN_KEY },
    });
    return JSON.parse(stdout);
  };

  it('onboards a tenant, issues it a key that works, lists and queues a delegation check', async () => {
    const tenant = await cli(
      'tenants',
      'add',
      '313876144',
      'Sparebank Super',
      '--scopes',
      'altinn:consentrequests.write,altinn:consentrequests.read',
    );
    expect(tenant).toMatchObject({ orgNumber: '313876144', name: 'Sparebank Super', scopes: [{}, {}] });
    const key = await cli('api-keys', 'issue', tenant.id, '--name', 'ops');
    expect((await kit.request('GET', '/v1/tenant', { key: key.key })).body.tenantId).toBe(tenant.id);
    expect((await cli('tenants', 'list')).data).toEqual([expect.objectContaining({ id: tenant.id })]);
    expect(await cli('delegation-check', tenant.id)).toEqual({
      tenantId: tenant.id,
      jobId: expect.any(String),
    });
  });

  it('exits non-zero and prints the problem’s fields for bad input', async () => {
    const failure = run(process.execPath, [CLI, 'tenants', 'add', '123', 'Bad'], {
      env: { ...process.env, GATEWAY_ADMIN_URL: kit.adminUrl, ADMIN_API_KEY: ADMIN_KEY },
    });
    await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('/orgNumber') });
  });
});
