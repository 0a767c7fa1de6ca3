/** docs/upstream-contract.md §1: Maskinporten accepts RS256, RS384 and RS512 grants (no EC, no `none`). */
export const JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

export type KmsRsaSigningAlgorithm =
  'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512';

/**
 * docs/upstream-contract.md §3: the KMS `SigningAlgorithm` that yields each JWS `alg`'s raw PKCS#1 signature.
 */
export const KMS_SIGNING_ALGORITHM: Record<JwsAlgorithm, KmsRsaSigningAlgorithm> = {
  RS256: 'RSASSA_PKCS1_V1_5_SHA_256',
  RS384: 'RSASSA_PKCS1_V1_5_SHA_384',
  RS512: 'RSASSA_PKCS1_V1_5_SHA_512',
};

/** The hash each `alg` uses; with KMS `MessageType: DIGEST` we send this hash of the signing input. */
export const DIGEST_ALGORITHM: Record<JwsAlgorithm, 'sha256' | 'sha384' | 'sha512'> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
};

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && (JWS_ALGORITHMS as readonly string[]).includes(value);
}

function base64UrlJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** RFC 7515 §5.1: the JWS signing input, `b64url(header).b64url(payload)`. */
export function jwsSigningInput(header: object, payload: object): string {
  return `${base64UrlJson(header)}.${base64UrlJson(payload)}`;
}

/** RFC 7515 §7.1: the compact serialization; the signature is the raw PKCS#1 value KMS returns. */
export function compactJws(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}
