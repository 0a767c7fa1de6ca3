import { TokenMemory } from './token-memory';

describe('TokenMemory', () => {
  it('answers until the entry ends, then forgets it', () => {
    const memory = new TokenMemory<string>(10);
    memory.set('a', 'token', 1_000);
    expect(memory.get('a', 999)).toBe('token');
    expect(memory.get('a', 1_000)).toBeUndefined();
    expect(memory.get('a', 0)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const memory = new TokenMemory<string>(2);
    memory.set('a', '1', 100);
    memory.set('b', '2', 100);
    memory.set('c', '3', 100);
    expect([memory.get('a', 0), memory.get('b', 0), memory.get('c', 0)]).toEqual([undefined, '2', '3']);
  });

  it('forgets a deleted entry', () => {
    const memory = new TokenMemory<string>(2);
    memory.set('a', '1', 100);
    memory.delete('a');
    expect(memory.get('a', 0)).toBeUndefined();
  });
});
