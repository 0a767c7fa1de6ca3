import { createHash } from 'node:crypto';
import { compactJws, DIGEST_ALGORITHM, isJwsAlgorithm, jwsSigningInput, KMS_SIGNING_ALGORITHM } from './jws';

describe('JWS helpers', () => {
  it.each([
    ['RS256', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256', 32],
    ['RS384', 'RSASSA_PKCS1_V1_5_SHA_384', 'sha384', 48],
    ['RS512', 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512', 64],
  ] as const)('maps %s to KMS %s and a %s digest', (alg, kms, digest, length) => {
    expect(KMS_SIGNING_ALGORITHM[alg]).toBe(kms);
    expect(DIGEST_ALGORITHM[alg]).toBe(digest);
    expect(createHash(DIGEST_ALGORITHM[alg]).update('x').digest()).toHaveLength(length);
  });

  it.each([
    ['RS256', true],
    ['RS512', true],
    ['ES256', false],
    ['none', false],
    ['rs256', false],
    [undefined, false],
  ])('accepts only RSA PKCS#1 algorithms: %s → %s', (alg, accepted) => {
    expect(isJwsAlgorithm(alg)).toBe(accepted);
  });

  it('builds the signing input as base64url JSON of header and payload without padding', () => {
    const input = jwsSigningInput({ alg: 'RS256', kid: 'k' }, { scope: 'a b', n: 'æøå?>' });
    const [header, payload] = input.split('.');
    expect(input).not.toMatch(/[=+/]/);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual({ alg: 'RS256', kid: 'k' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual({
      scope: 'a b',
      n: 'æøå?>',
    });
  });

  it('appends the signature base64url-encoded', () => {
    expect(compactJws('a.b', Uint8Array.from([0xfb, 0xff, 0x00]))).toBe('a.b.-_8A');
  });
});
