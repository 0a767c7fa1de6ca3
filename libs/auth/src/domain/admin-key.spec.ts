import { createHash } from 'node:crypto';
import { adminKeyFingerprint, matchAdminKey } from './admin-key';

const digest = (key: string) => createHash('sha256').update(key).digest();
const first = 'first-admin-key-0123456789abcdef';
const second = 'second-admin-key-0123456789abcdef';

describe('matchAdminKey', () => {
  it.each([
    ['the first configured key', first, [first, second], 0],
    ['the second configured key', second, [first, second], 1],
    ['an unknown key', 'nope-0123456789abcdef0123', [first, second], undefined],
    ['a prefix of a configured key', first.slice(0, -1), [first], undefined],
    ['any key when none is configured', first, [], undefined],
  ])('matches %s', (_name, presented, configured, expected) => {
    expect(matchAdminKey(presented, configured.map(digest))).toBe(expected);
  });
});

describe('adminKeyFingerprint', () => {
  it('names a key by a short hash that does not contain it', () => {
    const fingerprint = adminKeyFingerprint(first);
    expect(fingerprint).toMatch(/^admin:[0-9a-f]{12}$/);
    expect(fingerprint).not.toContain(first.slice(0, 6));
    expect(adminKeyFingerprint(second)).not.toBe(fingerprint);
  });
});
