import { scopeChanges } from './scope-changes';

describe('scopeChanges', () => {
  it.each([
    [[], ['b', 'a'], { added: ['a', 'b'], removed: [] }],
    [['a', 'b'], [], { added: [], removed: ['a', 'b'] }],
    [['a', 'b'], ['b', 'c'], { added: ['c'], removed: ['a'] }],
    [['a'], ['a', 'a'], { added: [], removed: [] }],
    [[], [], { added: [], removed: [] }],
  ])('from %j to %j', (current, requested, expected) => {
    expect(scopeChanges(current, requested)).toEqual(expected);
  });
});
