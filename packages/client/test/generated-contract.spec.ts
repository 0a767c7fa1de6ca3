import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../..');
const CONTRACT = [
  'openapi/tenant-api.json',
  'openapi/admin-api.json',
  'packages/client/src/tenant-api.ts',
  'packages/client/src/admin-api.ts',
];

/**
 * The generator in its own Node process: openapi-typescript and Prettier load ES modules, which Node
 * requires natively and Jest's module loader does not.
 */
async function check(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'packages/client/scripts/generate.ts', '--check', '--root', root],
      { cwd: ROOT },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the committed API contract', () => {
  jest.setTimeout(120_000);

  it('is what the code generates: the OpenAPI documents and the client types (`npm run openapi` regenerates)', async () => {
    const result = await check(ROOT);
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('names a committed file that differs from what the code generates', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'sgw-contract-'));
    try {
      for (const path of CONTRACT) cpSync(join(ROOT, path), join(copy, path));
      writeFileSync(join(copy, 'openapi/admin-api.json'), '{}\n');
      const result = await check(copy);
      expect(result.code).toBe(1);
      expect(result.output.trim().split('\n')).toEqual([
        'differs from the code: openapi/admin-api.json (run npm run openapi)',
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
