import { randomBytes } from 'node:crypto';
import { TokenSealer } from './token-sealer';

describe('TokenSealer', () => {
  const sealer = new TokenSealer(randomBytes(32));

  it('opens what it sealed for the same key', () => {
    const sealed = sealer.seal('{"accessToken":"eyJ.secret"}', 'sgw:mp:{a}:token');
    expect(sealed).not.toContain('secret');
    expect(sealer.open(sealed, 'sgw:mp:{a}:token')).toBe('{"accessToken":"eyJ.secret"}');
  });

  it('does not open a value moved to another key', () => {
    const sealed = sealer.seal('token of tenant A', 'sgw:mp:{a}:token');
    expect(sealer.open(sealed, 'sgw:mp:{b}:token')).toBeUndefined();
  });

  it.each([
    ['another secret', (sealed: string) => new TokenSealer(randomBytes(32)).open(sealed, 'k')],
    ['a flipped ciphertext byte', (sealed: string) => sealer.open(`${sealed.slice(0, -2)}AA`, 'k')],
    ['plain text', () => sealer.open('eyJhbGciOi', 'k')],
    ['an unknown version', (sealed: string) => sealer.open(sealed.replace(/^v1/, 'v9'), 'k')],
  ])('refuses %s', (_label, open) => {
    expect(open(sealer.seal('payload', 'k'))).toBeUndefined();
  });

  it('hashes cache keys with a key: equal material, equal hash; other secret, other hash', () => {
    expect(sealer.keyHash('m')).toBe(sealer.keyHash('m'));
    expect(sealer.keyHash('m')).not.toBe(sealer.keyHash('n'));
    expect(new TokenSealer(randomBytes(32)).keyHash('m')).not.toBe(sealer.keyHash('m'));
  });

  it('requires a 32-byte secret', () => {
    expect(() => new TokenSealer(randomBytes(16))).toThrow(RangeError);
  });
});
