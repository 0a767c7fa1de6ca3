import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KMS_ACCOUNT_ID, type RsaKeySpec, KmsKeyStore, type SimKmsKey } from '../core/kms-key-store';
import { SimClock } from '../core/sim-clock';
import { KmsError } from './kms.errors';
import { type KmsOperation } from './kms.protocol';
import {
  createAliasSchema,
  createKeySchema,
  decryptSchema,
  encryptSchema,
  generateDataKeySchema,
  generateDataKeyWithoutPlaintextSchema,
  keyIdSchema,
  listAliasesSchema,
  listKeysSchema,
  parseKmsInput,
  scheduleKeyDeletionSchema,
  signSchema,
  verifySchema,
} from './kms.schemas';
import {
  digestLength,
  isRsaSigningAlgorithm,
  RSA_SIGNING_ALGORITHMS,
  rsaSign,
  rsaVerify,
} from './kms-signature';
import {
  type EncryptionContext,
  keyIdOfCiphertextBlob,
  openCiphertextBlob,
  sealCiphertextBlob,
} from './kms-envelope';

const RSA_KEY_SPECS: readonly RsaKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const DEFAULT_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

type KeyReference = 'key-or-alias' | 'key-only';

/** The simulated AWS KMS's operations (docs/upstream-contract.md §3); input is the parsed JSON 1.1 body. */
@Injectable()
export class KmsService {
  constructor(
    private readonly keys: KmsKeyStore,
    private readonly clock: SimClock,
  ) {}

  execute(operation: KmsOperation, body: unknown): object {
    switch (operation) {
      case 'CreateKey':
        return this.createKey(body);
      case 'DescribeKey':
        return { KeyMetadata: this.metadata(this.find(parseKmsInput(keyIdSchema, body).KeyId)) };
      case 'ListKeys':
        return this.listKeys(body);
      case 'GetPublicKey':
        return this.getPublicKey(body);
      case 'Sign':
        return this.sign(body);
      case 'Verify':
        return this.verify(body);
      case 'Encrypt':
        return this.encrypt(body);
      case 'Decrypt':
        return this.decrypt(body);
      case 'GenerateDataKey':
        return this.generateDataKey(body, true);
      case 'GenerateDataKeyWithoutPlaintext':
        return this.generateDataKey(body, false);
      case 'CreateAlias':
        return this.createAlias(body);
      case 'ListAliases':
        return this.listAliases(body);
      case 'DisableKey':
        return this.setEnabled(body, 'Disabled');
      case 'EnableKey':
        return this.setEnabled(body, 'Enabled');
      case 'ScheduleKeyDeletion':
        return this.scheduleKeyDeletion(body);
      case 'CancelKeyDeletion':
        return this.cancelKeyDeletion(body);
    }
  }

  private createKey(body: unknown): object {
    const input = parseKmsInput(createKeySchema, body);
    if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
      throw new KmsError(
        'ValidationException',
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
      );
    }
    if (
      (input.Origin !== undefined && input.Origin !== 'AWS_KMS') ||
      input.CustomKeyStoreId !== undefined ||
      input.XksKeyId !== undefined ||
      input.MultiRegion === true
    ) {
      throw new KmsError(
        'UnsupportedOperationException',
        'The simulated KMS creates only single-Region keys with origin AWS_KMS.',
      );
    }
    const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    if (keySpec === 'SYMMETRIC_DEFAULT') {
      // AWS: a symmetric key only encrypts and decrypts; KeyUsage defaults to ENCRYPT_DECRYPT.
      if (input.KeyUsage !== undefined && input.KeyUsage !== 'ENCRYPT_DECRYPT') {
        throw new KmsError(
          'ValidationException',
          `KeyUsage ${input.KeyUsage} is not valid for KeySpec SYMMETRIC_DEFAULT.`,
        );
      }
      return { KeyMetadata: this.metadata(this.keys.create(keySpec, input.Description ?? '')) };
    }
    if (!isRsaKeySpec(keySpec)) {
      throw new KmsError(
        'UnsupportedOperationException',
        `The simulated KMS supports only SYMMETRIC_DEFAULT keys and RSA_2048, RSA_3072 and RSA_4096 SIGN_VERIFY keys, not ${keySpec}.`,
      );
    }
    // AWS requires KeyUsage for every asymmetric key; for RSA it may be SIGN_VERIFY or ENCRYPT_DECRYPT.
    if (input.KeyUsage === undefined) {
      throw new KmsError(
        'ValidationException',
        "1 validation error detected: Value null at 'keyUsage' failed to satisfy constraint: Member must not be null for asymmetric KMS keys",
      );
    }
    if (input.KeyUsage === 'ENCRYPT_DECRYPT') {
      throw new KmsError(
        'UnsupportedOperationException',
        'The simulated KMS supports only SIGN_VERIFY keys, not ENCRYPT_DECRYPT.',
      );
    }
    if (input.KeyUsage !== 'SIGN_VERIFY') {
      throw new KmsError(
        'ValidationException',
        `KeyUsage ${input.KeyUsage} is not valid for KeySpec ${keySpec}.`,
      );
    }
    const key = this.keys.create(keySpec, input.Description ?? '');
    return { KeyMetadata: this.metadata(key) };
  }

  private listKeys(body: unknown): object {
    const input = parseKmsInput(listKeysSchema, body);
    const page = paginate(this.liveKeys(), input.Limit, input.Marker);
    return {
      Keys: page.items.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })),
      Truncated: page.nextMarker !== undefined,
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    };
  }

  private getPublicKey(body: unknown): object {
    const key = this.usable(this.find(parseKmsInput(keyIdSchema, body).KeyId));
    if (key.keySpec === 'SYMMETRIC_DEFAULT') {
      throw new KmsError(
        'UnsupportedOperationException',
        `${key.arn} is a symmetric key; GetPublicKey is only for asymmetric keys.`,
      );
    }
    const publicKey = this.keys.publicKey(key).export({ type: 'spki', format: 'der' });
    return {
      KeyId: key.arn,
      PublicKey: publicKey.toString('base64'),
      KeySpec: key.keySpec,
      CustomerMasterKeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      SigningAlgorithms: [...RSA_SIGNING_ALGORITHMS],
    };
  }

  private sign(body: unknown): object {
    const input = parseKmsInput(signSchema, body);
    const { key, algorithm, messageType } = this.signingRequest(input, 'Sign');
    if (input.DryRun === true) throw dryRun();
    const signature = rsaSign(this.keys.privateKey(key), algorithm, input.Message, messageType);
    return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
  }

  private verify(body: unknown): object {
    const input = parseKmsInput(verifySchema, body);
    const { key, algorithm, messageType } = this.signingRequest(input, 'Verify');
    if (input.DryRun === true) throw dryRun();
    if (!rsaVerify(this.keys.publicKey(key), algorithm, input.Message, messageType, input.Signature)) {
      throw new KmsError(
        'KMSInvalidSignatureException',
        'The signature is not valid for this key and message.',
      );
    }
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
  }

  /**
   * docs/upstream-contract.md §3: what Sign and Verify share — usable key, RSA algorithm, DIGEST of the
   * hash's length.
   */
  private signingRequest(
    input: {
      KeyId: string;
      Message: Buffer;
      MessageType: 'RAW' | 'DIGEST' | 'EXTERNAL_MU';
      SigningAlgorithm: string;
    },
    operation: 'Sign' | 'Verify',
  ) {
    const key = this.usable(this.find(input.KeyId));
    const algorithm = input.SigningAlgorithm;
    if (key.keyUsage !== 'SIGN_VERIFY') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
      );
    }
    if (!isRsaSigningAlgorithm(algorithm)) {
      throw new KmsError(
        'InvalidKeyUsageException',
        `Signing algorithm ${algorithm} is not valid for key spec ${key.keySpec} of ${key.arn}.`,
      );
    }
    const messageType = input.MessageType;
    if (messageType !== 'RAW' && messageType !== 'DIGEST') {
      throw new KmsError('ValidationException', `MessageType ${messageType} is valid only for ML-DSA keys.`);
    }
    if (messageType === 'DIGEST' && input.Message.length !== digestLength(algorithm)) {
      throw new KmsError(
        'ValidationException',
        `Digest is invalid length for algorithm ${algorithm}: expected ${digestLength(algorithm)} bytes, got ${input.Message.length}.`,
      );
    }
    return { key, algorithm, messageType };
  }

  private encrypt(body: unknown): object {
    const input = parseKmsInput(encryptSchema, body);
    const key = this.encryptionKey(input.KeyId, input.EncryptionAlgorithm, 'Encrypt');
    if (input.DryRun === true) throw dryRun();
    return {
      CiphertextBlob: this.seal(key, input.Plaintext, input.EncryptionContext).toString('base64'),
      KeyId: key.arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  /**
   * docs/upstream-contract.md (KMS) and AWS's Decrypt: the blob names its key; a KeyId, when given, must be
   * that key (IncorrectKeyException); the blob must open under exactly the encryption context it was made
   * with (InvalidCiphertextException, which also answers any blob that is not one of this KMS's).
   */
  private decrypt(body: unknown): object {
    const input = parseKmsInput(decryptSchema, body);
    if (input.Recipient !== undefined) throw recipientUnsupported();
    const blobKeyId = keyIdOfCiphertextBlob(input.CiphertextBlob);
    const blobKey = blobKeyId === undefined ? undefined : this.lookup(blobKeyId);
    if (input.KeyId !== undefined) {
      const named = this.find(input.KeyId);
      if (blobKey && named.keyId !== blobKey.keyId) {
        throw new KmsError(
          'IncorrectKeyException',
          'The key ID in the request does not identify a KMS key that can perform this operation.',
        );
      }
    }
    if (!blobKey) throw invalidCiphertext();
    const key = this.encryptionKey(blobKey.keyId, input.EncryptionAlgorithm, 'Decrypt');
    if (input.DryRun === true) throw dryRun();
    const plaintext = openCiphertextBlob(
      this.keys.secretKey(key),
      key.keyId,
      input.CiphertextBlob,
      input.EncryptionContext ?? {},
    );
    if (!plaintext) throw invalidCiphertext();
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  /** AWS: exactly one of NumberOfBytes and KeySpec; the data key comes back encrypted and, here, in plain. */
  private generateDataKey(body: unknown, withPlaintext: boolean): object {
    const input = parseKmsInput(
      withPlaintext ? generateDataKeySchema : generateDataKeyWithoutPlaintextSchema,
      body,
    );
    if ('Recipient' in input && input.Recipient !== undefined) throw recipientUnsupported();
    if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
      throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
    }
    const key = this.encryptionKey(input.KeyId, undefined, 'GenerateDataKey');
    if (input.DryRun === true) throw dryRun();
    const dataKey = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
    const ciphertextBlob = this.seal(key, dataKey, input.EncryptionContext).toString('base64');
    return withPlaintext
      ? { CiphertextBlob: ciphertextBlob, Plaintext: dataKey.toString('base64'), KeyId: key.arn }
      : { CiphertextBlob: ciphertextBlob, KeyId: key.arn };
  }

  /** What Encrypt, Decrypt and GenerateDataKey share: a usable ENCRYPT_DECRYPT key and its algorithm. */
  private encryptionKey(reference: string, algorithm: string | undefined, operation: string): SimKmsKey {
    const key = this.usable(this.find(reference));
    if (key.keyUsage !== 'ENCRYPT_DECRYPT') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
      );
    }
    if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `Encryption algorithm ${algorithm} is not valid for key spec ${key.keySpec} of ${key.arn}.`,
      );
    }
    return key;
  }

  private seal(key: SimKmsKey, plaintext: Buffer, context: EncryptionContext | undefined): Buffer {
    return sealCiphertextBlob(this.keys.secretKey(key), key.keyId, plaintext, context ?? {});
  }

  private createAlias(body: unknown): object {
    const input = parseKmsInput(createAliasSchema, body);
    const aliasName = input.AliasName;
    if (!aliasName.startsWith('alias/')) {
      throw new KmsError(
        'ValidationException',
        'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
      );
    }
    if (aliasName.startsWith('alias/aws/')) {
      throw new KmsError('NotAuthorizedException', "Cannot create alias with prefix 'alias/aws/'");
    }
    if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(aliasName)) {
      throw new KmsError(
        'ValidationException',
        `1 validation error detected: Value '${aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9/_-]+$`,
      );
    }
    if (isAliasReference(input.TargetKeyId)) {
      throw new KmsError('ValidationException', 'Aliases must refer to keys. Not aliases');
    }
    if (this.lookup(aliasName)) {
      throw new KmsError(
        'AlreadyExistsException',
        `An alias with the name ${this.arnOf(aliasName)} already exists`,
      );
    }
    const key = this.find(input.TargetKeyId, 'key-only');
    if (key.keyState === 'PendingDeletion') throw pendingDeletion(key);
    this.keys.createAlias(aliasName, key.keyId);
    return {};
  }

  private listAliases(body: unknown): object {
    const input = parseKmsInput(listAliasesSchema, body);
    const keys = input.KeyId === undefined ? this.liveKeys() : [this.find(input.KeyId, 'key-only')];
    const aliases = keys
      .flatMap((key) => this.keys.aliasesOf(key.keyId).map((aliasName) => ({ aliasName, key })))
      .sort((a, b) => a.aliasName.localeCompare(b.aliasName));
    const page = paginate(aliases, input.Limit, input.Marker);
    return {
      Aliases: page.items.map(({ aliasName, key }) => ({
        AliasName: aliasName,
        AliasArn: this.arnOf(aliasName),
        TargetKeyId: key.keyId,
      })),
      Truncated: page.nextMarker !== undefined,
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    };
  }

  private setEnabled(body: unknown, keyState: 'Enabled' | 'Disabled'): object {
    const key = this.find(parseKmsInput(keyIdSchema, body).KeyId, 'key-only');
    if (key.keyState === 'PendingDeletion') throw pendingDeletion(key);
    this.keys.update(key, { keyState });
    return {};
  }

  private scheduleKeyDeletion(body: unknown): object {
    const input = parseKmsInput(scheduleKeyDeletionSchema, body);
    const key = this.find(input.KeyId, 'key-only');
    if (key.keyState === 'PendingDeletion') throw pendingDeletion(key);
    const pendingWindowInDays = input.PendingWindowInDays ?? 30;
    const deletionDate = new Date(this.clock.now().getTime() + pendingWindowInDays * DAY_MS);
    this.keys.update(key, { keyState: 'PendingDeletion', deletionDate: deletionDate.toISOString() });
    return {
      KeyId: key.arn,
      DeletionDate: epochSeconds(deletionDate.toISOString()),
      KeyState: 'PendingDeletion',
      PendingWindowInDays: pendingWindowInDays,
    };
  }

  private cancelKeyDeletion(body: unknown): object {
    const key = this.find(parseKmsInput(keyIdSchema, body).KeyId, 'key-only');
    if (key.keyState !== 'PendingDeletion') {
      throw new KmsError(
        'KMSInvalidStateException',
        `${key.arn} is not pending deletion (it is ${key.keyState}).`,
      );
    }
    // As in AWS: a key whose deletion is cancelled comes back Disabled, not Enabled.
    this.keys.update(key, { keyState: 'Disabled' });
    return { KeyId: key.arn };
  }

  private metadata(key: SimKmsKey): object {
    return {
      AWSAccountId: KMS_ACCOUNT_ID,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: epochSeconds(key.creationDate),
      Enabled: key.keyState === 'Enabled',
      Description: key.description,
      KeyUsage: key.keyUsage,
      KeyState: key.keyState,
      ...(key.deletionDate === undefined ? {} : { DeletionDate: epochSeconds(key.deletionDate) }),
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      ...(key.keyUsage === 'ENCRYPT_DECRYPT'
        ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }
        : { SigningAlgorithms: [...RSA_SIGNING_ALGORITHMS] }),
      MultiRegion: false,
    };
  }

  /** Resolves `KeyId` as KMS does: key id, key ARN and, where the operation allows, alias name or alias ARN. */
  private find(reference: string, accepts: KeyReference = 'key-or-alias'): SimKmsKey {
    const alias = isAliasReference(reference);
    if (alias && accepts === 'key-only')
      throw new KmsError('NotFoundException', `Invalid keyId ${reference}`);
    const key = this.lookup(reference);
    if (key) return key;
    throw alias
      ? new KmsError('NotFoundException', `Alias ${this.arnOf(reference)} is not found.`)
      : new KmsError('NotFoundException', `Key '${this.arnOf(reference)}' does not exist`);
  }

  /** ARNs of another region or account are unknown here; a key past its deletion date is gone. */
  private lookup(reference: string): SimKmsKey | undefined {
    const ownPrefix = `arn:aws:kms:${this.keys.region}:${KMS_ACCOUNT_ID}:`;
    if (reference.startsWith('arn:') && !reference.startsWith(ownPrefix)) return undefined;
    const key = this.keys.resolve(reference);
    return key && !this.deleted(key) ? key : undefined;
  }

  private usable(key: SimKmsKey): SimKmsKey {
    switch (key.keyState) {
      case 'Enabled':
        return key;
      case 'Disabled':
        throw new KmsError('DisabledException', `${key.arn} is disabled.`);
      case 'PendingDeletion':
        throw pendingDeletion(key);
    }
  }

  private liveKeys(): SimKmsKey[] {
    return this.keys.list().filter((key) => !this.deleted(key));
  }

  private deleted(key: SimKmsKey): boolean {
    return (
      key.keyState === 'PendingDeletion' &&
      key.deletionDate !== undefined &&
      Date.parse(key.deletionDate) <= this.clock.now().getTime()
    );
  }

  private arnOf(reference: string): string {
    if (reference.startsWith('arn:')) return reference;
    const resource = reference.startsWith('alias/') ? reference : `key/${reference}`;
    return `arn:aws:kms:${this.keys.region}:${KMS_ACCOUNT_ID}:${resource}`;
  }
}

function isRsaKeySpec(keySpec: string): keySpec is RsaKeySpec {
  return (RSA_KEY_SPECS as readonly string[]).includes(keySpec);
}

function isAliasReference(reference: string): boolean {
  return reference.startsWith('alias/') || /^arn:aws:kms:[^:]*:[^:]*:alias\//.test(reference);
}

function pendingDeletion(key: SimKmsKey): KmsError {
  return new KmsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
}

function invalidCiphertext(): KmsError {
  return new KmsError('InvalidCiphertextException', 'The ciphertext or its encryption context is invalid.');
}

function recipientUnsupported(): KmsError {
  return new KmsError(
    'UnsupportedOperationException',
    'The simulated KMS does not support Recipient (Nitro Enclaves attestation).',
  );
}

function dryRun(): KmsError {
  return new KmsError(
    'DryRunOperationException',
    'The request would have succeeded, but the DryRun option is set.',
  );
}

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** KMS's opaque `Marker`: here the offset of the next item, base64url-encoded. */
function paginate<T>(items: T[], limit: number | undefined, marker: string | undefined) {
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    start = decoded ? Number(decoded[1]) : -1;
    if (start < 0 || start > items.length) {
      throw new KmsError(
        'InvalidMarkerException',
        'The marker is not valid; pass the NextMarker of the previous page.',
      );
    }
  }
  const end = start + (limit ?? DEFAULT_PAGE_SIZE);
  return {
    items: items.slice(start, end),
    nextMarker: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined,
  };
}
