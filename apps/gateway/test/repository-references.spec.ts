// The repository must read whole to someone who has only a clone: comments and docs point into docs/ (or at
// a public source), never at documents kept elsewhere or at issue numbers, and every docs/ path, section and
// relative Markdown link they name exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCANNED_DIRS = ['apps', 'libs', 'test', 'scripts', 'deploy', 'docs', 'packages', '.ci'];
const ROOT_FILES = ['README.md', 'eslint.config.mjs', 'jest.config.js', 'Dockerfile', 'docker-compose.yml'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.sim-data', 'node24', 'generated']);
const TEXT_FILE = /\.(ts|mts|cts|js|mjs|cjs|md|ya?ml|sh)$|(^|\/)(Dockerfile|run)$/;
const THIS_FILE = path.relative(ROOT, __filename);

/** A reference a clone cannot resolve, with what to write instead. */
const UNRESOLVABLE: { pattern: RegExp; instead: string }[] = [
  { pattern: /\bDESIGN\b/, instead: 'say why, or point into docs/architecture.md' },
  { pattern: /\bSTYLE(\.md|\s+rule)/, instead: 'say why, or point into docs/architecture.md' },
  { pattern: /\.\.\/shared\b|\bshared\/[A-Za-z-]+\.md/, instead: 'point into docs/' },
  // An issue number is short; `api-keys issue 974760673` (a CLI command and an org number) is not one.
  { pattern: /\b[Ii]ssues?\s+#?\d{1,5}\b|\(#\d+\)/, instead: 'say what the issue asked for' },
  {
    pattern: /(?<![\w/.-])upstream-contract(?![\w.-])/,
    instead: 'name the file: docs/upstream-contract.md §N',
  },
];

/** `docs/<file>.md`, optionally with `#anchor`, `§N` and a quoted section or phrase. */
const DOCS_REFERENCE = /\bdocs\/([\w-]+\.md)(#[\w-]+)?(?:,?\s+§(\d+))?(?:,?\s+"([^"\n]+)")?/g;
/** `docs/architecture.md flow 3b`: the numbered flows of the architecture document. */
const FLOW_REFERENCE = /\bdocs\/architecture\.md,?\s+flows?\s+(\d)([a-c])?/g;
/** Inline Markdown links `[text](target)`. */
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

function repositoryFiles(): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(child);
      } else if (TEXT_FILE.test(child) && child !== THIS_FILE) {
        files.push(child);
      }
    }
  };
  for (const dir of SCANNED_DIRS) if (existsSync(path.join(ROOT, dir))) walk(dir);
  return [...files, ...ROOT_FILES.filter((file) => existsSync(path.join(ROOT, file)))];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headingsOf(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => /^#{1,6}\s/.test(line))
    .map((line) => line.replace(/^#+\s+/, ''));
}

/** Whether a heading of `markdown` has `anchor` (without its `#`). */
function hasHeadingAnchor(markdown: string, anchor: string): boolean {
  return headingsOf(markdown).some((heading) => headingAnchor(heading) === anchor);
}

/** Lines with a reference nobody with a clone can open: `<file>:<line>: <text> (<what instead>)`. */
function unresolvableReferences(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { pattern, instead } of UNRESOLVABLE) {
      if (pattern.test(line)) found.push(`${file}:${index + 1}: ${line.trim()} (${instead})`);
    }
  });
  return found;
}

/** `docs/…` references whose file, anchor, section or quoted phrase does not exist. */
function brokenDocsReferences(
  file: string,
  text: string,
  readDoc: (name: string) => string | undefined,
): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(DOCS_REFERENCE)) {
    const [whole, name, anchor, section, quoted] = match;
    const doc = readDoc(name);
    if (doc === undefined) {
      found.push(`${file}: ${whole}: no such file`);
      continue;
    }
    if (anchor && !hasHeadingAnchor(doc, anchor.slice(1))) {
      found.push(`${file}: ${whole}: no heading ${anchor}`);
    }
    if (section && !headingsOf(doc).some((heading) => heading.startsWith(`${section}. `))) {
      found.push(`${file}: ${whole}: no section ${section}`);
    }
    if (quoted && !doc.toLowerCase().includes(quoted.toLowerCase())) {
      found.push(`${file}: ${whole}: "${quoted}" is not in ${name}`);
    }
  }
  for (const match of text.matchAll(FLOW_REFERENCE)) {
    const [whole, number, part] = match;
    const doc = readDoc('architecture.md') ?? '';
    if (!headingsOf(doc).some((heading) => heading.startsWith(`Flow ${number}:`))) {
      found.push(`${file}: ${whole}: no flow ${number}`);
    } else if (part && !doc.includes(`${number}${part},`)) {
      found.push(`${file}: ${whole}: flow ${number} has no part ${number}${part}`);
    }
  }
  return found;
}

/** Relative Markdown links whose file (or heading, for a Markdown target) does not exist. */
function brokenMarkdownLinks(
  file: string,
  markdown: string,
  read: (relative: string) => string | undefined,
): string[] {
  const found: string[] = [];
  for (const [, target] of markdown.matchAll(MARKDOWN_LINK)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
    const [linkPath, anchor] = target.split('#');
    const resolved = linkPath === '' ? file : path.normalize(path.join(path.dirname(file), linkPath));
    const content = read(resolved);
    if (content === undefined) {
      found.push(`${file}: (${target}): no such file ${resolved}`);
    } else if (anchor && resolved.endsWith('.md') && !hasHeadingAnchor(content, anchor)) {
      found.push(`${file}: (${target}): no heading #${anchor} in ${resolved}`);
    }
  }
  return found;
}

/** The libs table of docs/architecture.md: lib → its layer cell (`—` for a lib outside the layers). */
function documentedLibs(architecture: string): Map<string, string> {
  const libs = new Map<string, string>();
  for (const match of architecture.matchAll(/^\| ([0-9]+|—) \| `([a-z-]+)` \|/gm))
    libs.set(match[2], match[1]);
  return libs;
}

/** eslint.config.mjs's LAYERS: lib → its layer number. */
function lintedLayers(eslintConfig: string): Map<string, string> {
  const block = /const LAYERS = \[([\s\S]*?)\n\];/.exec(eslintConfig)?.[1] ?? '';
  const layers = new Map<string, string>();
  [...block.matchAll(/\[([^\]]*)\]/g)].forEach((row, rank) => {
    for (const [, lib] of row[1].matchAll(/'([a-z-]+)'/g)) layers.set(lib, String(rank));
  });
  return layers;
}

/** Libs missing from the table, listed but gone, or in another layer than the lint rule puts them. */
function libsTableDisagreements(
  present: readonly string[],
  documented: Map<string, string>,
  layers: Map<string, string>,
): string[] {
  const found = present.filter((lib) => !documented.has(lib)).map((lib) => `${lib}: not in the libs table`);
  for (const [lib, layer] of documented) {
    if (!present.includes(lib)) found.push(`${lib}: in the libs table, but libs/${lib} does not exist`);
    else if (layer !== (layers.get(lib) ?? '—')) {
      found.push(`${lib}: layer ${layer} in the table, ${layers.get(lib) ?? '—'} in eslint.config.mjs`);
    }
  }
  return found;
}

function readRepositoryFile(relative: string): string | undefined {
  const full = path.join(ROOT, relative);
  if (relative.startsWith('..') || !existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

describe('references in the repository', () => {
  const files = repositoryFiles();
  const readDoc = (name: string) => readRepositoryFile(path.join('docs', name));

  it('scans the code, the tests and the docs', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
    expect(files.some((file) => file.startsWith('libs/') && file.endsWith('.ts'))).toBe(true);
  });

  it('cites no document outside the repository and no issue number', () => {
    const found = files.flatMap((file) =>
      unresolvableReferences(file, readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('names only docs/ files, headings, sections and flows that exist', () => {
    const found = files.flatMap((file) =>
      brokenDocsReferences(file, readFileSync(path.join(ROOT, file), 'utf8'), readDoc),
    );
    expect(found).toEqual([]);
  });

  it('links, from README.md and docs/, only to files and headings that exist', () => {
    const markdown = files.filter((file) => file === 'README.md' || /^docs\/[^/]+\.md$/.test(file));
    const found = markdown.flatMap((file) =>
      brokenMarkdownLinks(file, readFileSync(path.join(ROOT, file), 'utf8'), readRepositoryFile),
    );
    expect(found).toEqual([]);
  });

  it('lists every lib in docs/architecture.md with the layer eslint.config.mjs gives it', () => {
    const present = readdirSync(path.join(ROOT, 'libs'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const documented = documentedLibs(readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8'));
    const layers = lintedLayers(readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8'));
    expect(layers.size).toBeGreaterThan(10);
    expect(libsTableDisagreements(present, documented, layers)).toEqual([]);
  });

  describe('the checks', () => {
    const doc =
      '# Title\n\n## 1. Maskinporten (token issuer)\n\n### Flow 3: tracking status\n\n- **3a, the feed.**\n';
    const readFake = (name: string) =>
      name === 'upstream-contract.md' || name === 'architecture.md' ? doc : undefined;

    it.each([
      ['// see DESIGN flow 2', 'DESIGN'],
      ['// STYLE rule 4: the tenant is explicit', 'STYLE'],
      ['See [the notes](../shared/notes.md).', 'shared'],
      ['// retries as issue 7 asked', 'issue'],
      ['/** upstream-contract §1: exp − iat ≤ 120 */', 'upstream-contract'],
    ])('flags %s', (line) => {
      expect(unresolvableReferences('x.ts', line)).toHaveLength(1);
    });

    it.each([
      '// docs/upstream-contract.md §1: exp − iat ≤ 120',
      'npm run cli -- api-keys issue 974760673 --name backend',
    ])('accepts %s', (line) => {
      expect(unresolvableReferences('x.ts', line)).toEqual([]);
    });

    it('flags a docs/ file, anchor, section, phrase or flow that does not exist', () => {
      const text = [
        'docs/missing.md',
        'docs/upstream-contract.md#nowhere',
        'docs/upstream-contract.md §7',
        'docs/upstream-contract.md §1 "Nothing like this"',
        'docs/architecture.md flow 4',
        'docs/architecture.md flow 3c',
      ].join('\n');
      expect(brokenDocsReferences('x.ts', text, readFake)).toHaveLength(6);
    });

    it('accepts a docs/ reference that resolves', () => {
      const text =
        'docs/upstream-contract.md#1-maskinporten-token-issuer docs/upstream-contract.md §1 "Token issuer" ' +
        'docs/architecture.md flow 3a';
      expect(brokenDocsReferences('x.ts', text, readFake)).toEqual([]);
    });

    it('flags a lib missing from the libs table, one gone, and one in the wrong layer', () => {
      const table = documentedLibs(
        '| 0 | `config` | x |\n| 1 | `auth` | x |\n| 2 | `gone` | x |\n| — | `console` | x |',
      );
      const layers = lintedLayers("const LAYERS = [\n  ['config'],\n  ['tenants'],\n  ['auth'],\n];");
      expect(libsTableDisagreements(['config', 'auth', 'console', 'new'], table, layers)).toEqual([
        'new: not in the libs table',
        'auth: layer 1 in the table, 2 in eslint.config.mjs',
        'gone: in the libs table, but libs/gone does not exist',
      ]);
    });

    it('flags a relative link to a missing file or heading, and skips absolute URLs', () => {
      const read = (relative: string) => (relative === 'docs/a.md' ? doc : undefined);
      const markdown = '[a](a.md) [b](b.md) [c](a.md#nowhere) [d](a.md#title) [e](https://example.com/x)';
      expect(brokenMarkdownLinks('docs/index.md', markdown, read)).toEqual([
        'docs/index.md: (b.md): no such file docs/b.md',
        'docs/index.md: (a.md#nowhere): no heading #nowhere in docs/a.md',
      ]);
    });
  });
});
