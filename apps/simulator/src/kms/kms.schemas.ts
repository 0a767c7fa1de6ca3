import { z } from 'zod';
import { KmsError } from './kms.errors';

export const KEY_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
] as const;

export const KEY_USAGES = [
  'SIGN_VERIFY',
  'ENCRYPT_DECRYPT',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'ENCAPSULATE_DECAPSULATE',
] as const;

export const SIGNING_ALGORITHMS = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
] as const;

export type SigningAlgorithmSpec = (typeof SIGNING_ALGORITHMS)[number];

export const ENCRYPTION_ALGORITHMS = [
  'SYMMETRIC_DEFAULT',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'SM2PKE',
] as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A blob member: standard base64 on the wire (docs/upstream-contract.md §3), length checked on the bytes. */
function blob(minBytes: number, maxBytes: number) {
  return z.string().transform((value, context) => {
    if (!BASE64.test(value)) {
      context.addIssue({ code: 'custom', message: 'Member must be valid base64' });
      return z.NEVER;
    }
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length < minBytes || bytes.length > maxBytes) {
      context.addIssue({
        code: 'custom',
        message: `Member must have minimum length of ${minBytes} and maximum length of ${maxBytes}`,
      });
      return z.NEVER;
    }
    return bytes;
  });
}

const keyId = z.string().min(1).max(2048);
const grantTokens = z.array(z.string().min(1).max(8192)).max(10).optional();
const limit = z.number().int().min(1).max(1000).optional();
const marker = z.string().min(1).max(1024).optional();

export const createKeySchema = z.object({
  Policy: z.string().min(1).max(131072).optional(),
  Description: z.string().max(8192).optional(),
  KeyUsage: z.enum(KEY_USAGES).optional(),
  KeySpec: z.enum(KEY_SPECS).optional(),
  CustomerMasterKeySpec: z.enum(KEY_SPECS).optional(),
  Origin: z.enum(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']).optional(),
  CustomKeyStoreId: z.string().min(1).max(64).optional(),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
  Tags: z.array(z.object({ TagKey: z.string().min(1).max(128), TagValue: z.string().max(256) })).optional(),
  MultiRegion: z.boolean().optional(),
  XksKeyId: z.string().min(1).max(128).optional(),
});

export const keyIdSchema = z.object({ KeyId: keyId, GrantTokens: grantTokens });

export const listKeysSchema = z.object({ Limit: limit, Marker: marker });

export const listAliasesSchema = z.object({ KeyId: keyId.optional(), Limit: limit, Marker: marker });

export const createAliasSchema = z.object({
  AliasName: z.string().min(1).max(256),
  TargetKeyId: keyId,
});

export const scheduleKeyDeletionSchema = z.object({
  KeyId: keyId,
  PendingWindowInDays: z.number().int().min(7).max(30).optional(),
});

const messageType = z.enum(['RAW', 'DIGEST', 'EXTERNAL_MU']).default('RAW');

export const signSchema = z.object({
  KeyId: keyId,
  Message: blob(1, 4096),
  MessageType: messageType,
  SigningAlgorithm: z.enum(SIGNING_ALGORITHMS),
  GrantTokens: grantTokens,
  DryRun: z.boolean().optional(),
});

export const verifySchema = signSchema.extend({ Signature: blob(1, 6144) });

/** Pairs of strings; KMS binds them to the ciphertext and wants exactly the same pairs to decrypt. */
const encryptionContext = z.record(z.string().min(1), z.string()).optional();
const encryptionAlgorithm = z.enum(ENCRYPTION_ALGORITHMS).optional();

export const encryptSchema = z.object({
  KeyId: keyId,
  Plaintext: blob(1, 4096),
  EncryptionContext: encryptionContext,
  EncryptionAlgorithm: encryptionAlgorithm,
  GrantTokens: grantTokens,
  DryRun: z.boolean().optional(),
});

export const decryptSchema = z.object({
  CiphertextBlob: blob(1, 6144),
  EncryptionContext: encryptionContext,
  KeyId: keyId.optional(),
  EncryptionAlgorithm: encryptionAlgorithm,
  GrantTokens: grantTokens,
  Recipient: z.unknown().optional(),
  DryRun: z.boolean().optional(),
});

export const generateDataKeySchema = z.object({
  KeyId: keyId,
  EncryptionContext: encryptionContext,
  NumberOfBytes: z.number().int().min(1).max(1024).optional(),
  KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
  GrantTokens: grantTokens,
  Recipient: z.unknown().optional(),
  DryRun: z.boolean().optional(),
});

export const generateDataKeyWithoutPlaintextSchema = generateDataKeySchema.omit({ Recipient: true });

/** Lower camel case, as AWS names members in its validation messages (`at 'keyId'`). */
function memberName(path: PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'string' ? part[0].toLowerCase() + part.slice(1) : String(part)))
    .join('.');
}

function constraint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null
        ? 'Member must not be null'
        : `Member must be of type ${issue.expected}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'too_small':
      return issue.origin === 'number'
        ? `Member must have value greater than or equal to ${String(issue.minimum)}`
        : `Member must have length greater than or equal to ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'number'
        ? `Member must have value less than or equal to ${String(issue.maximum)}`
        : `Member must have length less than or equal to ${String(issue.maximum)}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return issue.message;
  }
}

function shownValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 100 ? `${value.slice(0, 100)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `'${String(value)}'`;
  return 'of this shape';
}

/**
 * Parses an operation's input; a bad or missing member is a ValidationException that names it, in AWS's
 * "N validation errors detected: Value … at 'member' failed to satisfy constraint: …" form.
 */
export function parseKmsInput<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KmsError('SerializationException', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const details = result.error.issues.map(
    (issue) =>
      `${issue.code === 'custom' ? 'Value' : `Value ${shownValue(issue.input)}`} at '${memberName(issue.path)}' failed to satisfy constraint: ${constraint(issue)}`,
  );
  const count = `${details.length} validation error${details.length === 1 ? '' : 's'} detected`;
  throw new KmsError('ValidationException', `${count}: ${details.join('; ')}`);
}
