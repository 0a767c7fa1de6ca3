import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Public part after `sgw_<env>_`: enough to find the key, never enough to use it. */
export const API_KEY_PREFIX_LENGTH = 8;
/** 43 base62 characters carry 43 · log2(62) ≈ 256.03 bits: at least 32 random bytes' worth. */
export const API_KEY_SECRET_LENGTH = 43;

const KEY_PATTERN = new RegExp(
  `^(sgw_([a-z0-9]{1,8})_([0-9A-Za-z]{${API_KEY_PREFIX_LENGTH}}))[0-9A-Za-z]{${API_KEY_SECRET_LENGTH}}$`,
);

export interface GeneratedApiKey {
  /** The whole key: shown once, never stored. */
  key: string;
  /** `sgw_<env>_<8 chars>`: stored, shown in listings, used to find the key. */
  prefix: string;
}

/** `length` uniform base62 characters (rejection sampling, so no character is likelier than another). */
export function randomBase62(length: number, random: (size: number) => Buffer = randomBytes): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      const index = byte >> 2; // 0..63; 62 and 63 are dropped
      if (index < 62) out += BASE62[index];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new tenant API key: `sgw_<env>_<8-char public prefix><43-char secret>`. */
export function generateApiKey(environment: string, random?: (size: number) => Buffer): GeneratedApiKey {
  if (!/^[a-z0-9]{1,8}$/.test(environment)) throw new Error(`Invalid API key environment "${environment}"`);
  const prefix = `sgw_${environment}_${randomBase62(API_KEY_PREFIX_LENGTH, random)}`;
  return { key: `${prefix}${randomBase62(API_KEY_SECRET_LENGTH, random)}`, prefix };
}

/** The environment and public prefix of a well-formed key, or undefined for anything else. */
export function parseApiKey(value: string): { environment: string; prefix: string } | undefined {
  const match = KEY_PATTERN.exec(value);
  return match ? { environment: match[2], prefix: match[1] } : undefined;
}

/** What is stored of a key: its SHA-256 (the key has 256 random bits, so no salt or slow hash is needed). */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison of two SHA-256 digests. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
