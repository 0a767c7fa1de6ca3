import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts cached tokens with AES-256-GCM and derives cache keys with HMAC-SHA-256, both from one
 * 32-byte secret through HKDF. The Redis key is the AEAD's associated data, so a value copied to another
 * tenant's key does not decrypt; and the key is a keyed hash because its material holds a consent's
 * `from` (a fødselsnummer), which a plain hash would reveal to anyone trying all 11-digit numbers.
 */
export class TokenSealer {
  private readonly encryptionKey: Buffer;
  private readonly keyHashKey: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length !== 32) throw new RangeError('the token cache secret must be 32 bytes');
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'sgw/maskinporten/token-cache/aead', 32),
    );
    this.keyHashKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'sgw/maskinporten/token-cache/key', 32),
    );
  }

  keyHash(material: string): string {
    return createHmac('sha256', this.keyHashKey).update(material, 'utf8').digest('base64url');
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext, or undefined for anything that was not sealed by this secret for this key. */
  open(sealed: string, associatedData: string): string | undefined {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length > 0 || !iv || !tag || ciphertext === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
