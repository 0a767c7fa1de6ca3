// docs/operations.md "Every variable" is what an operator reads to configure a process; the schemas here are
// what the processes read. Every variable a schema reads must be documented (there, or in
// docs/observability.md for tracing and metrics), and the table must not list a variable nobody reads.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  gatewayConfigSchema,
  migrateConfigSchema,
  simulatorConfigSchema,
  workerConfigSchema,
} from './config.schemas';

const DOCS = path.resolve(__dirname, '..', '..', '..', 'docs');

/** The variable names a process schema reads (the object inside any refinement or transform). */
function variablesOf(schema: unknown): string[] {
  const candidate = schema as { shape?: object; in?: { shape?: object } };
  const shape = candidate.shape ?? candidate.in?.shape;
  if (!shape) throw new Error('not an object schema');
  return Object.keys(shape);
}

/** Variable names in the first column of the "Every variable" table: `NAME` or `NAME`, `OTHER`. */
function tableVariables(markdown: string): string[] {
  const section = markdown.split(/^### Every variable$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]));
}

/** Variables read but not documented, and documented but not read. */
function undocumented(read: readonly string[], documentation: string, table: readonly string[]): string[] {
  const missing = read.filter((name) => !documentation.includes(`\`${name}\``));
  const stale = table
    .filter((name) => !read.includes(name))
    .map((name) => `${name} (documented, never read)`);
  return [...new Set([...missing, ...stale])];
}

describe('documented configuration', () => {
  const read = [
    ...new Set(
      [gatewayConfigSchema, workerConfigSchema, migrateConfigSchema, simulatorConfigSchema].flatMap(
        variablesOf,
      ),
    ),
  ];

  it('documents every variable the processes read, and lists none they do not', () => {
    const operations = readFileSync(path.join(DOCS, 'operations.md'), 'utf8');
    const observabilityFile = path.join(DOCS, 'observability.md');
    const observability = existsSync(observabilityFile) ? readFileSync(observabilityFile, 'utf8') : '';
    const table = tableVariables(operations);
    expect(read.length).toBeGreaterThan(20);
    expect(table.length).toBeGreaterThan(20);
    expect(undocumented(read, `${operations}\n${observability}`, table)).toEqual([]);
  });

  it('reports a variable read but not documented, and one documented but not read', () => {
    const doc = '### Every variable\n\n| variable |\n| --- |\n| `PORT`, `OLD_NAME` |\n\n## Next\n';
    expect(undocumented(['PORT', 'NEW_NAME'], doc, tableVariables(doc))).toEqual([
      'NEW_NAME',
      'OLD_NAME (documented, never read)',
    ]);
  });
});
