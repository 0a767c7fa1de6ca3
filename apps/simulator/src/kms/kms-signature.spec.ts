import { constants, createHash, generateKeyPairSync, verify } from 'node:crypto';
import { RSA_SIGNING_ALGORITHMS, rsaSign, rsaVerify, type RsaSigningAlgorithm } from './kms-signature';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const message = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzZ3cifQ');

function nodeVerify(algorithm: RsaSigningAlgorithm, signature: Buffer): boolean {
  const hash = `sha${algorithm.slice(-3)}`;
  const key = algorithm.startsWith('RSASSA_PSS')
    ? {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(algorithm.slice(-3)) / 8,
      }
    : publicKey;
  return verify(hash, message, key, signature);
}

describe('rsaSign and rsaVerify', () => {
  it.each(RSA_SIGNING_ALGORITHMS)(
    'signs a RAW message with %s so that node:crypto verifies it',
    (algorithm) => {
      const signature = rsaSign(privateKey, algorithm, message, 'RAW');
      expect(nodeVerify(algorithm, signature)).toBe(true);
      expect(rsaVerify(publicKey, algorithm, message, 'RAW', signature)).toBe(true);
    },
  );

  it.each(RSA_SIGNING_ALGORITHMS)(
    'signs a DIGEST with %s as if the message had been hashed there',
    (algorithm) => {
      const digest = createHash(`sha${algorithm.slice(-3)}`)
        .update(message)
        .digest();
      const signature = rsaSign(privateKey, algorithm, digest, 'DIGEST');
      expect(nodeVerify(algorithm, signature)).toBe(true);
      expect(rsaVerify(publicKey, algorithm, digest, 'DIGEST', signature)).toBe(true);
      expect(rsaVerify(publicKey, algorithm, message, 'RAW', signature)).toBe(true);
    },
  );

  it.each(RSA_SIGNING_ALGORITHMS)('rejects a %s signature over another message', (algorithm) => {
    const signature = rsaSign(privateKey, algorithm, message, 'RAW');
    expect(rsaVerify(publicKey, algorithm, Buffer.from('other'), 'RAW', signature)).toBe(false);
  });

  it('rejects a signature of the wrong length or out of range instead of throwing', () => {
    expect(rsaVerify(publicKey, 'RSASSA_PSS_SHA_256', message, 'RAW', Buffer.alloc(10))).toBe(false);
    expect(rsaVerify(publicKey, 'RSASSA_PSS_SHA_256', message, 'RAW', Buffer.alloc(256, 0xff))).toBe(false);
  });
});
