import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { associatedData, lookupInput, type RowBinding } from './domain/row-binding';
import { PersonalDataError } from './personal-data.errors';

/** A data key: 32 random bytes under an id that is stored beside every value it seals. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** What is stored for one value: the ciphertext and the id of the key that sealed it. */
export interface SealedValue {
  ciphertext: Buffer;
  keyId: string;
}

export interface LookupHash {
  keyId: string;
  hmac: Buffer;
}

/** Key ids are stored in rows and written in configuration (`<id>:<base64>`): keep them plain. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const DATA_KEY_BYTES = 32;
// Stored ciphertext: format (1) | IV (12) | ciphertext | GCM tag (16). The format byte lets a later
// algorithm sit beside this one.
const FORMAT_AES_256_GCM = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A call to randomBytes costs about the same for 12 bytes as for 4 KiB (tens of µs here, most of a seal):
 * IVs are cut from a pool of CSPRNG bytes, each byte handed out once, as Node does for randomUUID.
 */
const IV_POOL_BYTES = 4096 - (4096 % IV_BYTES);
let ivPool = Buffer.alloc(0);
let ivPoolOffset = 0;

function nextIv(): Buffer {
  if (ivPoolOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolOffset = 0;
  }
  ivPoolOffset += IV_BYTES;
  return ivPool.subarray(ivPoolOffset - IV_BYTES, ivPoolOffset);
}

interface Subkeys {
  encryption: KeyObject;
  lookup: KeyObject;
}

/**
 * Personal data at rest: AES-256-GCM under the active data key, bound to its row, and keyed HMAC-SHA256
 * lookup values. Each data key yields two independent subkeys (HKDF-SHA256, RFC 5869): one encrypts, one
 * computes lookup values, so a lookup value reveals nothing about the encryption key and vice versa. Older
 * keys stay to open what they sealed until it is re-encrypted under the active one.
 */
export class PersonalDataCipher {
  private constructor(
    private readonly keys: ReadonlyMap<string, Subkeys>,
    readonly activeKeyId: string,
  ) {}

  static create(keys: readonly DataKey[], activeKeyId: string): PersonalDataCipher {
    const subkeys = new Map<string, Subkeys>();
    for (const { keyId, key } of keys) {
      if (!KEY_ID_PATTERN.test(keyId)) {
        throw new PersonalDataError(
          'personal_data.invalid_keys',
          `Data key id "${keyId}" is not [A-Za-z0-9._-]{1,64}`,
        );
      }
      if (key.length !== DATA_KEY_BYTES) {
        throw new PersonalDataError(
          'personal_data.invalid_keys',
          `Data key "${keyId}" is ${key.length} bytes, not ${DATA_KEY_BYTES}`,
        );
      }
      if (subkeys.has(keyId)) {
        throw new PersonalDataError(
          'personal_data.invalid_keys',
          `Data key id "${keyId}" is configured twice`,
        );
      }
      subkeys.set(keyId, {
        encryption: createSecretKey(derive(key, 'aes-256-gcm')),
        lookup: createSecretKey(derive(key, 'hmac-sha256')),
      });
    }
    if (!subkeys.has(activeKeyId)) {
      throw new PersonalDataError(
        'personal_data.invalid_keys',
        `The active data key "${activeKeyId}" is not among the configured keys (${[...subkeys.keys()].join(', ') || 'none'})`,
      );
    }
    return new PersonalDataCipher(subkeys, activeKeyId);
  }

  /** Every key this process can open values with, the active one included. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Seals under the active key. */
  seal(binding: RowBinding, plaintext: string): SealedValue {
    const keyId = this.activeKeyId;
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.subkeys(keyId).encryption, iv);
    cipher.setAAD(associatedData(binding, keyId));
    const ciphertext = Buffer.concat([
      Buffer.from([FORMAT_AES_256_GCM]),
      iv,
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { ciphertext, keyId };
  }

  /** The plaintext; throws when the key is unknown or the value does not open for this row. */
  open(binding: RowBinding, sealed: SealedValue): string {
    const { encryption } = this.subkeys(sealed.keyId);
    const { ciphertext } = sealed;
    const undecryptable = () =>
      new PersonalDataError(
        'personal_data.undecryptable',
        `A ${binding.column} value of row ${binding.rowId} does not open under key "${sealed.keyId}"`,
      );
    if (ciphertext.length < 1 + IV_BYTES + TAG_BYTES || ciphertext[0] !== FORMAT_AES_256_GCM) {
      throw undecryptable();
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', encryption, ciphertext.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(associatedData(binding, sealed.keyId));
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(ciphertext.subarray(1 + IV_BYTES, ciphertext.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw undecryptable();
    }
  }

  /** The keyed lookup value of `value` in `column` of the tenant's rows, under one key (default the active one). */
  lookupHash(column: string, tenantId: string, value: string, keyId: string = this.activeKeyId): Buffer {
    return createHmac('sha256', this.subkeys(keyId).lookup)
      .update(lookupInput(column, tenantId, value))
      .digest();
  }

  /** The lookup value under every key: what a search matches against while rows are still under older keys. */
  lookupHashes(column: string, tenantId: string, value: string): LookupHash[] {
    return this.keyIds.map((keyId) => ({ keyId, hmac: this.lookupHash(column, tenantId, value, keyId) }));
  }

  private subkeys(keyId: string): Subkeys {
    const subkeys = this.keys.get(keyId);
    if (!subkeys) {
      throw new PersonalDataError(
        'personal_data.unknown_key',
        `Personal data under key "${keyId}" cannot be opened: this process has keys ${this.keyIds.join(', ')}`,
      );
    }
    return subkeys;
  }
}

function derive(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', dataKey, Buffer.alloc(0), `samtykke-gateway personal-data ${purpose} v1`, 32),
  );
}
