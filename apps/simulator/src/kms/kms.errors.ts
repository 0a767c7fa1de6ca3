/** The `__type` names the simulated KMS answers with (docs/upstream-contract.md §3). */
export type KmsErrorType =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'UnsupportedOperationException'
  | 'ValidationException'
  | 'NotFoundException'
  | 'DisabledException'
  | 'KMSInvalidStateException'
  | 'InvalidKeyUsageException'
  | 'KMSInvalidSignatureException'
  | 'InvalidCiphertextException'
  | 'IncorrectKeyException'
  | 'AlreadyExistsException'
  | 'NotAuthorizedException'
  | 'InvalidMarkerException'
  | 'DryRunOperationException'
  | 'KMSInternalException';

/** HTTP status per error; typed over the union so a new error without a status does not compile. */
export const KMS_ERROR_STATUS: Record<KmsErrorType, number> = {
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
  UnsupportedOperationException: 400,
  ValidationException: 400,
  NotFoundException: 400,
  DisabledException: 400,
  KMSInvalidStateException: 400,
  InvalidKeyUsageException: 400,
  KMSInvalidSignatureException: 400,
  InvalidCiphertextException: 400,
  IncorrectKeyException: 400,
  AlreadyExistsException: 400,
  NotAuthorizedException: 400,
  InvalidMarkerException: 400,
  DryRunOperationException: 412,
  KMSInternalException: 500,
};

/** A refusal of the simulated KMS, rendered as `{__type, message}` by `KmsExceptionFilter`. */
export class KmsError extends Error {
  constructor(
    readonly type: KmsErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }

  get status(): number {
    return KMS_ERROR_STATUS[this.type];
  }
}
