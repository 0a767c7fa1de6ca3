// docs/problem-codes.md is the catalogue a bank developer reads; GATEWAY_PROBLEMS is what the gateway
// answers. This keeps the two the same: every code in both, with the same status and title.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_PROBLEMS } from '../src/problem-table';

const CATALOGUE = path.resolve(__dirname, '..', '..', '..', 'docs', 'problem-codes.md');

interface CatalogueRow {
  status: number;
  title: string;
}

/** The catalogue's rows: `| \`code\` | status | title | when | what to do |`. */
function catalogueRows(markdown: string): Map<string, CatalogueRow> {
  const rows = new Map<string, CatalogueRow>();
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([a-z_]+\.[a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (!match) continue;
    if (rows.has(match[1])) throw new Error(`${match[1]} is catalogued twice`);
    rows.set(match[1], { status: Number(match[2]), title: match[3] });
  }
  return rows;
}

/** Every way the catalogue and the table disagree, one line each; empty when they agree. */
function disagreements(
  catalogue: Map<string, CatalogueRow>,
  table: Readonly<Record<string, CatalogueRow>>,
): string[] {
  const found: string[] = [];
  for (const [code, answer] of Object.entries(table)) {
    const row = catalogue.get(code);
    if (!row) found.push(`${code}: missing from the catalogue`);
    else if (row.status !== answer.status)
      found.push(`${code}: catalogue ${row.status}, gateway ${answer.status}`);
    else if (row.title !== answer.title)
      found.push(`${code}: catalogue "${row.title}", gateway "${answer.title}"`);
  }
  for (const code of catalogue.keys()) {
    if (!Object.hasOwn(table, code)) found.push(`${code}: catalogued but the gateway has no such code`);
  }
  return found;
}

describe('docs/problem-codes.md', () => {
  it('catalogues every code of GATEWAY_PROBLEMS with its status and title, and no other', () => {
    const catalogue = catalogueRows(readFileSync(CATALOGUE, 'utf8'));
    expect(catalogue.size).toBeGreaterThan(0);
    expect(disagreements(catalogue, GATEWAY_PROBLEMS)).toEqual([]);
  });

  describe('the comparison', () => {
    const table = {
      'a.one': { status: 404, title: 'One' },
      'a.two': { status: 409, title: 'Two' },
    };
    const markdown = [
      '| code | status | title | when | what to do |',
      '| --- | --- | --- | --- | --- |',
      '| `a.one` | 404 | One | never | nothing |',
      '| `a.two` | 409 | Two | never | nothing |',
    ].join('\n');

    it('finds nothing when they agree', () => {
      expect(disagreements(catalogueRows(markdown), table)).toEqual([]);
    });

    it('reports a code the catalogue lacks', () => {
      const withoutTwo = markdown.split('\n').slice(0, 3).join('\n');
      expect(disagreements(catalogueRows(withoutTwo), table)).toEqual(['a.two: missing from the catalogue']);
    });

    it('reports a catalogued code the gateway does not have', () => {
      const extra = `${markdown}\n| \`a.three\` | 400 | Three | never | nothing |`;
      expect(disagreements(catalogueRows(extra), table)).toEqual([
        'a.three: catalogued but the gateway has no such code',
      ]);
    });

    it('reports a wrong status and a wrong title', () => {
      const wrong = markdown.replace('| 404 | One |', '| 400 | One |').replace('| Two |', '| Deux |');
      expect(disagreements(catalogueRows(wrong), table)).toEqual([
        'a.one: catalogue 400, gateway 404',
        'a.two: catalogue "Deux", gateway "Two"',
      ]);
    });

    it('refuses a code catalogued twice', () => {
      expect(() => catalogueRows(`${markdown}\n| \`a.one\` | 404 | One | again | nothing |`)).toThrow(
        'a.one is catalogued twice',
      );
    });
  });
});
