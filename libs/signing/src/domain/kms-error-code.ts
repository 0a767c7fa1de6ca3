import { type SigningErrorCode } from '../signing.errors';

const KEY_NOT_FOUND = new Set(['NotFoundException']);
const KEY_DISABLED = new Set(['DisabledException']);
// docs/upstream-contract.md §3: a key pending deletion or of the wrong usage/spec cannot sign until an
// operator acts.
const KEY_UNUSABLE = new Set([
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'UnsupportedOperationException',
  'ValidationException',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

/**
 * Which signing error a KMS failure is, by the SDK error's `name` (KMS `__type` without namespace).
 * Throttling, 5xx-class (KMSInternal, KeyUnavailable, DependencyTimeout), timeouts and network errors are
 * `unavailable`: the SDK has already retried them by the time we see them.
 */
export function signingErrorCodeForKms(errorName: string): SigningErrorCode {
  if (KEY_NOT_FOUND.has(errorName)) return 'signing.key_not_found';
  if (KEY_DISABLED.has(errorName)) return 'signing.key_disabled';
  if (KEY_UNUSABLE.has(errorName)) return 'signing.key_unusable';
  if (ACCESS_DENIED.has(errorName)) return 'signing.access_denied';
  return 'signing.unavailable';
}
