/** Stable codes of the signing lib; the gateway's problem filter maps each to an HTTP status. */
export type SigningErrorCode =
  | 'signing.key_not_found'
  | 'signing.key_disabled'
  | 'signing.key_unusable'
  | 'signing.access_denied'
  | 'signing.unavailable'
  | 'signing.invalid_configuration'
  | 'signing.local_signer_refused';

export interface SigningErrorDetails {
  /** The KMS key reference (id, ARN or alias) or local key file concerned. */
  keyId?: string;
  /** The upstream's error name, e.g. KMS `DisabledException`. */
  upstreamError?: string;
  cause?: unknown;
}

/** Thrown by every signer; never carries key material. */
export class SigningError extends Error {
  override readonly name = 'SigningError';
  readonly keyId?: string;
  readonly upstreamError?: string;

  constructor(
    readonly code: SigningErrorCode,
    message: string,
    details: SigningErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.keyId = details.keyId;
    this.upstreamError = details.upstreamError;
  }

  /** Whether a later attempt may succeed without anyone changing the key or its permissions. */
  get retryable(): boolean {
    return this.code === 'signing.unavailable';
  }
}
