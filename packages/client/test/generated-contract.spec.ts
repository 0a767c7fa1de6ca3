import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../..');

/**
 * The generator in its own Node process: openapi-typescript and Prettier load ES modules, which Node
 * requires natively and Jest's module loader does not.
 */
async function generate(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'packages/client/scripts/generate.ts', ...args],
      { cwd: ROOT },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the committed API contract', () => {
  jest.setTimeout(300_000);

  it('is what the code generates: the OpenAPI documents and the client types (`npm run openapi` regenerates)', async () => {
    const result = await generate('--check', '--root', ROOT);
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('names a committed file that differs from what the code generates', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'sgw-contract-'));
    try {
      // Generated afresh into a copy, so the test does not depend on the committed files being current.
      expect((await generate('--root', copy)).code).toBe(0);
      writeFileSync(join(copy, 'openapi/admin-api.json'), '{}\n');
      const result = await generate('--check', '--root', copy);
      expect(result.code).toBe(1);
      expect(result.output.trim().split('\n')).toEqual([
        'differs from the code: openapi/admin-api.json (run npm run openapi)',
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
