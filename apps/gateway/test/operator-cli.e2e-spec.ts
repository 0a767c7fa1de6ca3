import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, GatewayTestKit } from './gateway-test-kit';

const run = promisify(execFile);
const CLI = join(__dirname, '../../../scripts/cli.mjs');
const WRITE = 'altinn:consentrequests.write';
const READ = 'altinn:consentrequests.read';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

// The operator CLI as a child process against a real gateway (no worker: delegation checks stay queued).
describe('operator CLI (scripts/cli.mjs over the admin API)', () => {
  const kit = new GatewayTestKit();

  beforeAll(async () => {
    await kit.start();
  });
  afterAll(async () => {
    await kit.close();
  });

  /** Runs the CLI; never throws, whatever its exit code. */
  const exec = async (...args: string[]): Promise<Outcome> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        env: { ...process.env, GATEWAY_ADMIN_URL: kit.adminUrl, ADMIN_API_KEY: ADMIN_KEY },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  /** Runs a command with `--json` and parses what it printed; fails the test on a non-zero exit. */
  const cli = async (...args: string[]) => {
    const outcome = await exec(...args, '--json');
    if (outcome.code !== 0) throw new Error(`cli ${args.join(' ')}: ${outcome.code} ${outcome.stderr}`);
    return JSON.parse(outcome.stdout);
  };

  it('onboards a tenant, issues it a key that works, lists and queues a delegation check', async () => {
    const tenant = await cli(
      'tenants',
      'add',
      '313876144',
      'Sparebank Super',
      '--scopes',
      `${WRITE},${READ}`,
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

  it('prints tables for people, with a row per tenant and the columns named', async () => {
    const listed = await exec('tenants', 'list');
    expect(listed.code).toBe(0);
    const [header, row] = listed.stdout.split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['ID', 'ORG NUMBER', 'NAME', 'STATUS', 'DELEGATION', 'SCOPES']);
    expect(row.split(/\s{2,}/)).toEqual([
      expect.any(String),
      '313876144',
      'Sparebank Super',
      'active',
      'pending',
      '2',
    ]);

    const shown = await exec('tenants', 'show', '313876144');
    expect(shown.stdout).toMatch(/^org number: +313876144$/m);
    expect(shown.stdout).toMatch(new RegExp(`^${READ} +pending`, 'm'));
  });

  it('finds a tenant by org number, and takes an org number wherever it takes a tenant id', async () => {
    const found = await cli('tenants', 'find', '313876144');
    expect(found.orgNumber).toBe('313876144');
    expect(await cli('tenants', 'show', '313876144')).toEqual(await cli('tenants', 'show', found.id));
    const missing = await exec('tenants', 'find', '889640782');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no tenant has organisation number 889640782');
  });

  it('renames, changes scopes, suspends and resumes a tenant', async () => {
    await cli('tenants', 'add', '974760673', 'Sparebank Annen');
    expect((await cli('tenants', 'rename', '974760673', 'Sparebank To')).name).toBe('Sparebank To');
    const scopesOf = (tenant: { scopes: { scope: string }[] }) => tenant.scopes.map((scope) => scope.scope);
    expect(scopesOf(await cli('tenants', 'add-scope', '974760673', WRITE))).toEqual([WRITE]);
    expect(scopesOf(await cli('tenants', 'add-scope', '974760673', READ))).toEqual([READ, WRITE]);
    expect(scopesOf(await cli('tenants', 'remove-scope', '974760673', WRITE))).toEqual([READ]);
    expect(scopesOf(await cli('tenants', 'set-scopes', '974760673', `${WRITE}, ${READ}`))).toEqual([
      READ,
      WRITE,
    ]);
    expect(scopesOf(await cli('tenants', 'set-scopes', '974760673', ''))).toEqual([]);
    expect((await cli('tenants', 'suspend', '974760673')).status).toBe('suspended');
    expect((await cli('tenants', 'list', '--status', 'suspended')).data).toEqual([
      expect.objectContaining({ orgNumber: '974760673' }),
    ]);
    expect((await cli('tenants', 'resume', '974760673')).status).toBe('active');
  });

  it('pages with --limit and --after, and follows every page with --all', async () => {
    await cli('tenants', 'add', '910825518', 'Nordbank');
    const first = await cli('tenants', 'list', '--limit', '1');
    expect(first.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual(['313876144']);
    expect(first.next).toEqual(expect.any(String));
    const second = await cli('tenants', 'list', '--limit', '1', '--after', first.next);
    expect(second.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual(['974760673']);
    const all = await cli('tenants', 'list', '--limit', '1', '--all');
    expect(all).toEqual({ data: expect.any(Array), next: null });
    expect(all.data.map((tenant: { orgNumber: string }) => tenant.orgNumber)).toEqual([
      '313876144',
      '974760673',
      '910825518',
    ]);
    const table = await exec('tenants', 'list', '--limit', '1');
    expect(table.stdout).toContain(`more: --after ${first.next}`);
    expect((await cli('tenants', 'list', '--q', 'nord')).data).toHaveLength(1);
  });

  it('lists and revokes API keys of a tenant named by its org number', async () => {
    const issued = await cli('api-keys', 'issue', '910825518');
    const keys = await cli('api-keys', 'list', '910825518');
    expect(keys.data).toEqual([expect.objectContaining({ id: issued.id, revokedAt: null })]);
    expect((await cli('api-keys', 'revoke', '910825518', issued.id)).revokedAt).toEqual(expect.any(String));
    expect((await kit.request('GET', '/v1/tenant', { key: issued.key })).status).toBe(401);
  });

  it('reads the audit log with its filters, and exports it as NDJSON', async () => {
    const renamed = await cli('audit-log', '--tenant', '974760673', '--action', 'tenant.renamed');
    expect(renamed.data).toEqual([
      expect.objectContaining({
        action: 'tenant.renamed',
        details: { from: 'Sparebank Annen', to: 'Sparebank To' },
      }),
    ]);
    const exported = await exec('audit-log', 'export', '--tenant', '974760673', '--action', 'tenant.');
    expect(exported.code).toBe(0);
    const actions = exported.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions[0]).toBe('tenant.created');
    expect(actions).toEqual(expect.arrayContaining(['tenant.renamed', 'tenant.suspended', 'tenant.resumed']));
  });

  it('asks before offboarding: refuses without a terminal unless --yes', async () => {
    const refused = await exec('tenants', 'offboard', '910825518');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect((await cli('tenants', 'show', '910825518')).status).toBe('active');
    expect((await cli('tenants', 'offboard', '910825518', '--yes')).status).toBe('offboarded');
  });

  it('prints the problem’s title, detail and each field error, and exits 1', async () => {
    const failure = await exec('tenants', 'add', '123', 'Bad', '--scopes', 'not a scope');
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^error: .+ \(422/);
    expect(failure.stderr).toContain('/orgNumber: must be 9 digits');
    expect(failure.stderr).toContain('/scopes/0: must be a Maskinporten scope');
    const malformed = await exec('tenants', 'list', '--delegation', 'sideways');
    expect([malformed.code, malformed.stderr]).toEqual([1, expect.stringContaining('- delegation:')]);
  });

  it.each([
    ['an unknown flag', ['tenants', 'list', '--colour', 'red']],
    ['a flag of another command', ['tenants', 'show', '313876144', '--scopes', WRITE]],
    ['a missing argument', ['tenants', 'rename', '313876144']],
    ['an extra argument', ['jwks', 'now']],
    ['an unknown command', ['tenants', 'explode']],
    ['no command', []],
    ['a tenant that is neither a UUID nor an org number', ['tenants', 'show', 'sparebank']],
  ])('refuses %s with the usage and exit code 2', async (_case, args) => {
    const refused = await exec(...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('usage: npm run cli --');
    expect(refused.stdout).toBe('');
  });
});
