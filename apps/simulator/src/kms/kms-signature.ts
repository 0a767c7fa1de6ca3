import {
  constants,
  createHash,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  sign,
  timingSafeEqual,
} from 'node:crypto';

export const RSA_SIGNING_ALGORITHMS = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
] as const;

export type RsaSigningAlgorithm = (typeof RSA_SIGNING_ALGORITHMS)[number];

/** RAW: KMS hashes the message; DIGEST: the message already is the hash (docs/upstream-contract.md §3). */
export type SignedMessageType = 'RAW' | 'DIGEST';

type HashName = 'sha256' | 'sha384' | 'sha512';

const SCHEMES: Record<RsaSigningAlgorithm, { padding: 'pkcs1' | 'pss'; hash: HashName }> = {
  RSASSA_PKCS1_V1_5_SHA_256: { padding: 'pkcs1', hash: 'sha256' },
  RSASSA_PKCS1_V1_5_SHA_384: { padding: 'pkcs1', hash: 'sha384' },
  RSASSA_PKCS1_V1_5_SHA_512: { padding: 'pkcs1', hash: 'sha512' },
  RSASSA_PSS_SHA_256: { padding: 'pss', hash: 'sha256' },
  RSASSA_PSS_SHA_384: { padding: 'pss', hash: 'sha384' },
  RSASSA_PSS_SHA_512: { padding: 'pss', hash: 'sha512' },
};

const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** RFC 8017 §9.2 note 1: the DER DigestInfo header in front of the hash value. */
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

export function isRsaSigningAlgorithm(algorithm: string): algorithm is RsaSigningAlgorithm {
  return (RSA_SIGNING_ALGORITHMS as readonly string[]).includes(algorithm);
}

/** The length a DIGEST message must have for the algorithm's hash. */
export function digestLength(algorithm: RsaSigningAlgorithm): number {
  return HASH_BYTES[SCHEMES[algorithm].hash];
}

/**
 * Signs as KMS does. PSS uses a salt as long as the hash, as KMS documents for RSASSA_PSS_*. Node signs only
 * messages it hashes itself, so a DIGEST is padded here (DigestInfo for PKCS#1 v1.5, EMSA-PSS for PSS) and
 * put through the raw RSA private-key operation. The caller checks a DIGEST's length first.
 */
export function rsaSign(
  privateKey: KeyObject,
  algorithm: RsaSigningAlgorithm,
  message: Buffer,
  messageType: SignedMessageType,
): Buffer {
  const { padding, hash } = SCHEMES[algorithm];
  if (messageType === 'RAW') {
    return sign(
      hash,
      message,
      padding === 'pkcs1'
        ? privateKey
        : { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash] },
    );
  }
  if (padding === 'pkcs1') {
    return privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([DIGEST_INFO_PREFIX[hash], message]),
    );
  }
  const modulusBits = modulusLength(privateKey);
  const encoded = emsaPssEncode(message, modulusBits - 1, hash);
  return privateEncrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    leftPad(encoded, modulusBits),
  );
}

/** Verifies a KMS signature over a RAW message or a DIGEST; a malformed signature is simply invalid. */
export function rsaVerify(
  publicKey: KeyObject,
  algorithm: RsaSigningAlgorithm,
  message: Buffer,
  messageType: SignedMessageType,
  signature: Buffer,
): boolean {
  const { padding, hash } = SCHEMES[algorithm];
  const digest = messageType === 'RAW' ? createHash(hash).update(message).digest() : message;
  const modulusBits = modulusLength(publicKey);
  if (signature.length !== Math.ceil(modulusBits / 8)) return false;
  try {
    if (padding === 'pkcs1') {
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return constantTimeEqual(recovered, Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]));
    }
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
    return emsaPssVerify(digest, recovered, modulusBits - 1, hash);
  } catch {
    return false;
  }
}

function modulusLength(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new Error('not an RSA key');
  return bits;
}

function leftPad(encoded: Buffer, modulusBits: number): Buffer {
  const length = Math.ceil(modulusBits / 8);
  return Buffer.concat([Buffer.alloc(length - encoded.length), encoded]);
}

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 8017 §B.2.1. */
function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hash] < length; counter += 1) {
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(counterBytes).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function pssHash(digest: Buffer, salt: Buffer, hash: HashName): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
}

/** RFC 8017 §9.1.1 with sLen = hLen. */
function emsaPssEncode(digest: Buffer, emBits: number, hash: HashName): Buffer {
  const hashLength = HASH_BYTES[hash];
  const emLength = Math.ceil(emBits / 8);
  const salt = randomBytes(hashLength);
  const h = pssHash(digest, salt, hash);
  const db = Buffer.alloc(emLength - hashLength - 1);
  db[db.length - hashLength - 1] = 0x01;
  salt.copy(db, db.length - hashLength);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i += 1) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLength - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RFC 8017 §9.1.2 with sLen = hLen; `recovered` is the full modulus-length output of the RSA operation. */
function emsaPssVerify(digest: Buffer, recovered: Buffer, emBits: number, hash: HashName): boolean {
  const hashLength = HASH_BYTES[hash];
  const emLength = Math.ceil(emBits / 8);
  const leading = recovered.subarray(0, recovered.length - emLength);
  if (leading.some((byte) => byte !== 0)) return false;
  const em = recovered.subarray(recovered.length - emLength);
  if (emLength < 2 * hashLength + 2 || em[emLength - 1] !== 0xbc) return false;
  const unusedBits = 8 * emLength - emBits;
  const db = Buffer.from(em.subarray(0, emLength - hashLength - 1));
  const h = em.subarray(emLength - hashLength - 1, emLength - 1);
  if ((db[0] & (0xff << (8 - unusedBits)) & 0xff) !== 0) return false;
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i += 1) db[i] ^= mask[i];
  db[0] &= 0xff >> unusedBits;
  const separator = db.length - hashLength - 1;
  if (db.subarray(0, separator).some((byte) => byte !== 0) || db[separator] !== 0x01) return false;
  return constantTimeEqual(pssHash(digest, db.subarray(db.length - hashLength), hash), h);
}
