import { Injectable } from '@nestjs/common';
import { KMS_ACCOUNT_ID, type KmsKeySpec, KmsKeyStore, type SimKmsKey } from '../core/kms-key-store';
import { SimClock } from '../core/sim-clock';
import { KmsError } from './kms.errors';
import { type KmsOperation } from './kms.protocol';
import {
  createAliasSchema,
  createKeySchema,
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

const RSA_KEY_SPECS: readonly KmsKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const DEFAULT_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

type KeyReference = 'key-or-alias' | 'key-only';

/** The simulated AWS KMS's operations (upstream-contract §3); input is the parsed JSON 1.1 body. */
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
    if (!isRsaKeySpec(keySpec)) {
      throw new KmsError(
        'UnsupportedOperationException',
        `The simulated KMS supports only RSA_2048, RSA_3072 and RSA_4096 SIGN_VERIFY keys, not ${keySpec}.`,
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
    const { key, algorithm, messageType } = this.signingRequest(input);
    if (input.DryRun === true) throw dryRun();
    const signature = rsaSign(this.keys.privateKey(key), algorithm, input.Message, messageType);
    return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
  }

  private verify(body: unknown): object {
    const input = parseKmsInput(verifySchema, body);
    const { key, algorithm, messageType } = this.signingRequest(input);
    if (input.DryRun === true) throw dryRun();
    if (!rsaVerify(this.keys.publicKey(key), algorithm, input.Message, messageType, input.Signature)) {
      throw new KmsError(
        'KMSInvalidSignatureException',
        'The signature is not valid for this key and message.',
      );
    }
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
  }

  /** upstream-contract §3: what Sign and Verify share — usable key, RSA algorithm, DIGEST of the hash's length. */
  private signingRequest(input: {
    KeyId: string;
    Message: Buffer;
    MessageType: 'RAW' | 'DIGEST' | 'EXTERNAL_MU';
    SigningAlgorithm: string;
  }) {
    const key = this.usable(this.find(input.KeyId));
    const algorithm = input.SigningAlgorithm;
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
      SigningAlgorithms: [...RSA_SIGNING_ALGORITHMS],
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

function isRsaKeySpec(keySpec: string): keySpec is KmsKeySpec {
  return (RSA_KEY_SPECS as readonly string[]).includes(keySpec);
}

function isAliasReference(reference: string): boolean {
  return reference.startsWith('alias/') || /^arn:aws:kms:[^:]*:[^:]*:alias\//.test(reference);
}

function pendingDeletion(key: SimKmsKey): KmsError {
  return new KmsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
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
