import { Webhook } from 'standardwebhooks';
import { formatSecret, ROTATION_OVERLAP_MS, signatureHeader, signingSecrets } from './webhook-secret';

const oldSecret = formatSecret(Buffer.alloc(32, 1));
const newSecret = formatSecret(Buffer.alloc(32, 2));
const now = new Date();

describe('signingSecrets', () => {
  it.each([
    ['no rotation', null, null, [newSecret]],
    ['within 24 h of a rotation', oldSecret, new Date(now.getTime() + 1), [newSecret, oldSecret]],
    ['24 h after a rotation', oldSecret, now, [newSecret]],
  ])('signs with the right secrets: %s', (_case, previous, previousExpiresAt, expected) => {
    expect(signingSecrets({ current: newSecret, previous, previousExpiresAt }, now)).toEqual(expected);
  });

  it('keeps the previous secret for 24 hours', () => {
    expect(ROTATION_OVERLAP_MS).toBe(86_400_000);
  });
});

describe('signatureHeader', () => {
  const body = JSON.stringify({ type: 'consent.accepted' });

  it('verifies with the standardwebhooks verifier under each secret it was signed with', () => {
    const header = signatureHeader([newSecret, oldSecret], 'msg_1', now, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': header,
    };
    expect(new Webhook(newSecret).verify(body, headers)).toEqual({ type: 'consent.accepted' });
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual({ type: 'consent.accepted' });
    expect(() => new Webhook(formatSecret(Buffer.alloc(32, 3))).verify(body, headers)).toThrow();
  });

  it('formats secrets as whsec_ + base64', () => {
    expect(oldSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});
