import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

/**
 * The simulated KMS's ciphertext blob for SYMMETRIC_DEFAULT keys. Like AWS's, it is opaque to callers, names
 * the key that made it (so Decrypt needs no KeyId) and is authenticated together with the encryption context:
 * a changed byte, another context or another key fails to open. Layout: version (1) | key id (16, the UUID's
 * bytes) | IV (12) | GCM tag (16) | ciphertext.
 */
const VERSION = 0x01;
const KEY_ID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

export type EncryptionContext = Record<string, string>;

export function sealCiphertextBlob(
  key: KeyObject,
  keyId: string,
  plaintext: Buffer,
  context: EncryptionContext,
): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), uuidBytes(keyId), iv, cipher.getAuthTag(), ciphertext]);
}

/** The key id a blob names, or undefined when the blob is not one of ours. */
export function keyIdOfCiphertextBlob(blob: Buffer): string | undefined {
  if (blob.length <= HEADER_BYTES || blob[0] !== VERSION) return undefined;
  const hex = blob.subarray(1, 1 + KEY_ID_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The plaintext, or undefined when the blob, its key or the encryption context does not match. */
export function openCiphertextBlob(
  key: KeyObject,
  keyId: string,
  blob: Buffer,
  context: EncryptionContext,
): Buffer | undefined {
  if (keyIdOfCiphertextBlob(blob) !== keyId) return undefined;
  const iv = blob.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
  const tag = blob.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(additionalData(keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** AWS: the pairs of an encryption context are compared exactly (case-sensitive) but in any order. */
function additionalData(keyId: string, context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(['sgw-simulated-kms-v1', keyId, pairs]), 'utf8');
}

function uuidBytes(keyId: string): Buffer {
  const bytes = Buffer.from(keyId.replaceAll('-', ''), 'hex');
  if (bytes.length !== KEY_ID_BYTES) throw new Error(`not a UUID key id: ${keyId}`);
  return bytes;
}
