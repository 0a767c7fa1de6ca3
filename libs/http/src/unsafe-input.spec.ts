import { findUnsafeInput, MAX_INPUT_DEPTH, MAX_KEY_LENGTH } from './unsafe-input';

const NUL = 'must not contain the NUL character (U+0000)';
const SURROGATE = 'must not contain a lone UTF-16 surrogate (not well-formed Unicode)';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('findUnsafeInput', () => {
  it.each([
    ['plain text', { name: 'Sparebank Super', tags: ['a', 'b'], n: 1, ok: true, none: null }],
    ['a surrogate pair (emoji)', { name: 'bank \ud83c\udfe6' }],
    ['other control characters', { name: 'tab\tnew\nline\u0007' }],
    ['nesting at the limit', nested(MAX_INPUT_DEPTH)],
    ['a key at the length limit', { ['k'.repeat(MAX_KEY_LENGTH)]: 1 }],
    ['a number', 42],
  ])('accepts %s', (_name, value) => {
    expect(findUnsafeInput(value)).toEqual([]);
  });

  it.each([
    ['a NUL in a string', { name: 'a\u0000b' }, [{ path: ['name'], detail: NUL }]],
    ['a NUL in an array item', { action: ['ok', '\u0000'] }, [{ path: ['action', 1], detail: NUL }]],
    ['a lone high surrogate', { s: 'x\ud800' }, [{ path: ['s'], detail: SURROGATE }]],
    ['a lone low surrogate', { s: '\udc00x' }, [{ path: ['s'], detail: SURROGATE }]],
    ['swapped surrogates', { s: '\udc00\ud800' }, [{ path: ['s'], detail: SURROGATE }]],
    ['a bare string', '\u0000', [{ path: [], detail: NUL }]],
    [
      'a key with a NUL',
      { metadata: { 'a\u0000': 'v' } },
      [{ path: ['metadata', 'a\u0000'], detail: 'is a field name with the NUL character (U+0000)' }],
    ],
    [
      'a key with a lone surrogate',
      { metadata: { '\ud800': 'v' } },
      [
        {
          path: ['metadata', '\ud800'],
          detail: 'is a field name with a lone UTF-16 surrogate (not well-formed Unicode)',
        },
      ],
    ],
    [
      'an over-long key',
      { ['k'.repeat(MAX_KEY_LENGTH + 1)]: 1 },
      [
        {
          path: ['k'.repeat(MAX_KEY_LENGTH + 1)],
          detail: `is a field name longer than ${MAX_KEY_LENGTH} characters`,
        },
      ],
    ],
  ])('finds %s', (_name, value, expected) => {
    expect(findUnsafeInput(value)).toEqual(expected);
  });

  it('names every bad place, not only the first', () => {
    const found = findUnsafeInput({
      name: '\u0000',
      consentRights: [{ action: ['\ud800'], metadata: { '\u0000': 'x', ok: '\udfff' } }],
    });
    expect(found.map((item) => item.path).sort()).toEqual(
      [
        ['name'],
        ['consentRights', 0, 'action', 0],
        ['consentRights', 0, 'metadata', '\u0000'],
        ['consentRights', 0, 'metadata', 'ok'],
      ].sort(),
    );
  });

  it('stops at the nesting limit and walks deeper input without recursion', () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH + 1))).toEqual([
      { path: expect.any(Array), detail: `nests deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
    // What Fastify's JSON parser accepts in a 1 MB body: far past any call stack.
    expect(findUnsafeInput(JSON.parse(`${'['.repeat(500_000)}${']'.repeat(500_000)}`))).toHaveLength(1);
  });
});
