import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type KmsKeySpec = RsaKeySpec | 'SYMMETRIC_DEFAULT';
export type KmsKeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT';
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export const KMS_ACCOUNT_ID = '111122223333';

export interface SimKmsKey {
  keyId: string;
  arn: string;
  keySpec: KmsKeySpec;
  keyUsage: KmsKeyUsage;
  keyState: KmsKeyState;
  description: string;
  creationDate: string;
  deletionDate?: string;
  /** RSA keys (SIGN_VERIFY): PKCS#8 PEM. */
  privateKeyPem?: string;
  /** SYMMETRIC_DEFAULT keys (ENCRYPT_DECRYPT): 32 bytes of AES-256-GCM key material, base64. */
  keyMaterial?: string;
}

interface StoredState {
  keys: SimKmsKey[];
  aliases: Record<string, string>;
}

const MODULUS_BITS: Record<RsaKeySpec, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/**
 * The simulated KMS's keys. Unlike the rest of the simulator they survive restarts (a JSON file), so a key
 * registered at the simulated Maskinporten keeps working; the file is the simulator's own, never a real key.
 */
export class KmsKeyStore {
  private readonly keys = new Map<string, SimKmsKey>();
  private readonly aliases = new Map<string, string>();
  private readonly privateKeys = new Map<string, KeyObject>();
  private readonly secretKeys = new Map<string, KeyObject>();

  constructor(
    private readonly file: string | undefined,
    readonly region: string,
  ) {
    if (file) this.load(file);
  }

  /** An RSA key signs and verifies; a SYMMETRIC_DEFAULT key encrypts and decrypts, as KMS's default key. */
  create(keySpec: KmsKeySpec, description = ''): SimKmsKey {
    const keyId = randomUUID();
    const common = {
      keyId,
      arn: `arn:aws:kms:${this.region}:${KMS_ACCOUNT_ID}:key/${keyId}`,
      keySpec,
      keyState: 'Enabled' as const,
      description,
      creationDate: new Date().toISOString(),
    };
    const key: SimKmsKey =
      keySpec === 'SYMMETRIC_DEFAULT'
        ? { ...common, keyUsage: 'ENCRYPT_DECRYPT', keyMaterial: randomBytes(32).toString('base64') }
        : {
            ...common,
            keyUsage: 'SIGN_VERIFY',
            privateKeyPem: generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS[keySpec] })
              .privateKey.export({ type: 'pkcs8', format: 'pem' })
              .toString(),
          };
    this.keys.set(keyId, key);
    this.save();
    return key;
  }

  /** Resolves a key id, key ARN, `alias/<name>` or alias ARN, as KMS does for `KeyId`. */
  resolve(reference: string): SimKmsKey | undefined {
    const aliasArn = /^arn:aws:kms:[^:]*:[^:]*:(alias\/.+)$/.exec(reference);
    const keyArn = /^arn:aws:kms:[^:]*:[^:]*:key\/(.+)$/.exec(reference);
    if (aliasArn) return this.resolve(aliasArn[1]);
    if (keyArn) return this.keys.get(keyArn[1]);
    if (reference.startsWith('alias/')) {
      const target = this.aliases.get(reference);
      return target ? this.keys.get(target) : undefined;
    }
    return this.keys.get(reference);
  }

  aliasExists(aliasName: string): boolean {
    return this.aliases.has(aliasName);
  }

  createAlias(aliasName: string, keyId: string): void {
    this.aliases.set(aliasName, keyId);
    this.save();
  }

  aliasesOf(keyId: string): string[] {
    return [...this.aliases.entries()].filter(([, target]) => target === keyId).map(([alias]) => alias);
  }

  list(): SimKmsKey[] {
    return [...this.keys.values()];
  }

  update(key: SimKmsKey, changes: Partial<Pick<SimKmsKey, 'keyState' | 'deletionDate'>>): SimKmsKey {
    Object.assign(key, changes);
    if (changes.keyState !== 'PendingDeletion') delete key.deletionDate;
    this.save();
    return key;
  }

  privateKey(key: SimKmsKey): KeyObject {
    let privateKey = this.privateKeys.get(key.keyId);
    if (!privateKey) {
      if (key.privateKeyPem === undefined) throw new Error(`${key.arn} is not an RSA key`);
      privateKey = createPrivateKey(key.privateKeyPem);
      this.privateKeys.set(key.keyId, privateKey);
    }
    return privateKey;
  }

  publicKey(key: SimKmsKey): KeyObject {
    return createPublicKey(this.privateKey(key));
  }

  /** The AES-256 key material of a SYMMETRIC_DEFAULT key. */
  secretKey(key: SimKmsKey): KeyObject {
    let secretKey = this.secretKeys.get(key.keyId);
    if (!secretKey) {
      if (key.keyMaterial === undefined) throw new Error(`${key.arn} is not a symmetric key`);
      secretKey = createSecretKey(Buffer.from(key.keyMaterial, 'base64'));
      this.secretKeys.set(key.keyId, secretKey);
    }
    return secretKey;
  }

  private load(file: string): void {
    let state: StoredState;
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as StoredState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    state.keys.forEach((key) => this.keys.set(key.keyId, key));
    Object.entries(state.aliases).forEach(([alias, keyId]) => this.aliases.set(alias, keyId));
  }

  private save(): void {
    if (!this.file) return;
    const state: StoredState = { keys: this.list(), aliases: Object.fromEntries(this.aliases) };
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
