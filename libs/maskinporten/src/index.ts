export { type AccessToken } from './access-token';
export {
  MaskinportenError,
  type MaskinportenErrorCode,
  type MaskinportenErrorDetails,
} from './maskinporten.errors';
export { MaskinportenTokenService, type MaskinportenOptions } from './maskinporten-token.service';
export {
  MaskinportenModule,
  MASKINPORTEN_OPTIONS,
  type MaskinportenModuleAsyncOptions,
} from './maskinporten.module';
export { MaskinportenTokenClient, type TokenClientOptions, type TokenResponse } from './token-client';
export { RedisTokenCache, type CachedToken, type TokenCacheOptions, type TokenSource } from './token-cache';
export {
  buildGrantClaims,
  DEFAULT_GRANT_LIFETIME_SECONDS,
  MAX_GRANT_LIFETIME_SECONDS,
  type GrantClaims,
  type GrantContext,
  type GrantResult,
} from './domain/grant-claims';
export {
  normalizeTokenRequest,
  type ConsentAuthorizationDetail,
  type NormalizedTokenRequest,
  type TokenRequest,
  type TokenRequestRefusal,
} from './domain/token-request';
export { type BackoffOptions } from './domain/retry-delay';
export { TokenCacheReader, type TokenCacheReaderOptions } from './token-cache-reader';
