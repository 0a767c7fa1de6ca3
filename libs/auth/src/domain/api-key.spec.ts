import { createHash } from 'node:crypto';
import {
  API_KEY_SECRET_LENGTH,
  digestsEqual,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  randomBase62,
} from './api-key';

describe('generateApiKey', () => {
  it.each(['live', 'test', 'dev'])('makes sgw_%s_ keys with a public prefix and ≥ 256 random bits', (env) => {
    const { key, prefix } = generateApiKey(env);
    expect(key).toMatch(new RegExp(`^sgw_${env}_[0-9A-Za-z]{51}$`));
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toMatch(new RegExp(`^sgw_${env}_[0-9A-Za-z]{8}$`));
    expect(API_KEY_SECRET_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it('never makes the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('test').key));
    expect(keys.size).toBe(200);
  });

  it.each(['', 'LIVE', 'prod-1', 'toolongenv'])('refuses the environment %j', (env) => {
    expect(() => generateApiKey(env)).toThrow('Invalid API key environment');
  });
});

describe('randomBase62', () => {
  it('drops the bytes that would bias the alphabet', () => {
    // 0xF8 >> 2 = 62 and 0xFC >> 2 = 63 are dropped; 0x00 → "0", 0xF4 >> 2 = 61 → "z".
    const bytes = Buffer.from([0xf8, 0x00, 0xfc, 0xf4, 0x04, 0x08]);
    expect(randomBase62(4, () => bytes)).toBe('0z12');
  });
});

describe('parseApiKey', () => {
  const key = `sgw_live_AbCd1234${'x'.repeat(43)}`;

  it('finds the environment and the public prefix', () => {
    expect(parseApiKey(key)).toEqual({ environment: 'live', prefix: 'sgw_live_AbCd1234' });
  });

  it.each([
    ['a key one character short', key.slice(0, -1)],
    ['a key one character long', `${key}x`],
    ['another vendor’s prefix', key.replace('sgw_', 'sk_')],
    ['a non-base62 character', key.replace('x', '-')],
    ['an upper-case environment', key.replace('live', 'LIVE')],
    ['trailing whitespace', `${key} `],
    ['the empty string', ''],
  ])('refuses %s', (_name, value) => {
    expect(parseApiKey(value)).toBeUndefined();
  });
});

describe('hashApiKey and digestsEqual', () => {
  it('stores the SHA-256 of the key', () => {
    expect(hashApiKey('sgw_test_x').toString('hex')).toBe(
      createHash('sha256').update('sgw_test_x').digest('hex'),
    );
  });

  it.each([
    ['the same key', 'sgw_test_a', 'sgw_test_a', true],
    ['another key', 'sgw_test_a', 'sgw_test_b', false],
    ['a key differing in case', 'sgw_test_a', 'sgw_test_A', false],
  ])('compares %s', (_name, a, b, equal) => {
    expect(digestsEqual(hashApiKey(a), hashApiKey(b))).toBe(equal);
  });

  it('refuses digests of different lengths instead of throwing', () => {
    expect(digestsEqual(hashApiKey('a'), Buffer.alloc(16))).toBe(false);
  });
});
