import { KmsError } from './kms.errors';

/** docs/upstream-contract.md §3: AWS JSON 1.1, requests and answers alike. */
export const KMS_CONTENT_TYPE = 'application/x-amz-json-1.1';

export const KMS_OPERATIONS = [
  'CreateKey',
  'DescribeKey',
  'ListKeys',
  'GetPublicKey',
  'Sign',
  'Verify',
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'CreateAlias',
  'ListAliases',
  'DisableKey',
  'EnableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
] as const;

export type KmsOperation = (typeof KMS_OPERATIONS)[number];

const TARGET_PREFIX = 'TrentService.';

/**
 * The operation named by `X-Amz-Target`. A KMS operation the simulator does not implement is
 * UnsupportedOperationException (a typed error in the SDK); anything outside `TrentService` is what AWS's
 * front end answers for a target it does not know.
 */
export function operationFromTarget(target: string | undefined): KmsOperation {
  if (!target?.startsWith(TARGET_PREFIX)) {
    throw new KmsError('UnknownOperationException', `Unknown operation ${target ?? '(no X-Amz-Target)'}`);
  }
  const operation = target.slice(TARGET_PREFIX.length);
  const known = KMS_OPERATIONS.find((candidate) => candidate === operation);
  if (!known) {
    throw new KmsError('UnsupportedOperationException', `The simulated KMS does not implement ${operation}.`);
  }
  return known;
}

const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * docs/upstream-contract.md §3: requests are SigV4-signed. The simulator checks that the Authorization header
 * has SigV4's form and is scoped to `kms` in its region, but does not recompute the signature: any static
 * credentials are accepted, so tests need no secret shared with the simulator. The clock-skew check is
 * skipped too, because the simulated clock may be shifted to test expiry.
 */
export function checkSigV4Authorization(
  headers: Record<string, string | string[] | undefined>,
  region: string,
): void {
  const authorization = headers.authorization;
  if (authorization === undefined || authorization === '') {
    throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const match = typeof authorization === 'string' ? SIGV4_AUTHORIZATION.exec(authorization.trim()) : null;
  if (!match) {
    throw new KmsError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters in AWS4-HMAC-SHA256 form.",
    );
  }
  const [, , , scopeRegion, scopeService, signedHeaders] = match;
  if (!signedHeaders.split(';').includes('host')) {
    throw new KmsError('IncompleteSignatureException', "The 'host' header must be signed.");
  }
  if (headers['x-amz-date'] === undefined && headers.date === undefined) {
    throw new KmsError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (scopeService !== 'kms') {
    throw new KmsError('InvalidSignatureException', `Credential should be scoped to correct service: 'kms'.`);
  }
  if (scopeRegion !== region) {
    throw new KmsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${scopeRegion}'.`,
    );
  }
}

/** Stricter than AWS is known to be (unconfirmed there): KMS JSON comes only under its own media type. */
export function checkContentType(contentType: string | undefined): void {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType !== KMS_CONTENT_TYPE) {
    throw new KmsError('SerializationException', `Content-Type must be ${KMS_CONTENT_TYPE}.`);
  }
}
