export { JwtSigner, type JwsHeaderInput, type PublicJwk, type PublicJwks } from './jwt-signer';
export { KmsJwtSigner, type KmsJwtSignerOptions } from './kms-jwt-signer';
export {
  type KmsApi,
  type KmsConnectionOptions,
  type KmsGetPublicKeyOutput,
  type KmsSignInput,
  type KmsSignOutput,
} from './kms-api';
export { LocalJwtSigner, type LocalJwtSignerOptions } from './local-jwt-signer';
export { SigningError, type SigningErrorCode, type SigningErrorDetails } from './signing.errors';
export { SigningModule, createJwtSigner, type SigningModuleOptions } from './signing.module';
export { JWS_ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from './domain/jws';
export {
  JwksDirectory,
  JwksDirectoryError,
  type JwksDirectoryErrorCode,
  type PublishedJwks,
} from './jwks-directory';
