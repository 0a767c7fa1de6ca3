import { signingErrorCodeForKms } from './kms-error-code';

describe('signingErrorCodeForKms', () => {
  it.each([
    ['NotFoundException', 'signing.key_not_found'],
    ['DisabledException', 'signing.key_disabled'],
    ['KMSInvalidStateException', 'signing.key_unusable'],
    ['InvalidKeyUsageException', 'signing.key_unusable'],
    ['ValidationException', 'signing.key_unusable'],
    ['AccessDeniedException', 'signing.access_denied'],
    ['UnrecognizedClientException', 'signing.access_denied'],
    ['ThrottlingException', 'signing.unavailable'],
    ['KMSInternalException', 'signing.unavailable'],
    ['KeyUnavailableException', 'signing.unavailable'],
    ['DependencyTimeoutException', 'signing.unavailable'],
    ['TimeoutError', 'signing.unavailable'],
    ['Error', 'signing.unavailable'],
  ])('maps KMS %s to %s', (name, code) => {
    expect(signingErrorCodeForKms(name)).toBe(code);
  });
});
