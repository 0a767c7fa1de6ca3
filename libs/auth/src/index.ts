export { AuthModule } from './auth.module';
export { type AuthOptions } from './auth.options';
export { ApiKeysService } from './api-keys.service';
export { AdminAuthService } from './admin-auth.service';
export {
  AdminApi,
  AdminCaller,
  AdminKeyGuard,
  CurrentTenant,
  TenantApi,
  TenantKeyGuard,
  ADMIN_KEY_SCHEME,
  TENANT_KEY_SCHEME,
} from './auth.guards';
export { type ApiKey, type IssuedApiKey, type TenantPrincipal } from './api-key.entity';
export { ApiKeyRow, AUTH_ENTITIES } from './api-key-row.entity';
export { AuthError, type AuthErrorCode } from './auth.errors';
export {
  issueApiKeySchema,
  apiKeyIdSchema,
  apiKeyResponseSchema,
  issuedApiKeyResponseSchema,
  tenantPrincipalResponseSchema,
  type IssueApiKeyInput,
} from './auth.schemas';
export { generateApiKey, parseApiKey, hashApiKey } from './domain/api-key';
export { adminKeyFingerprint } from './domain/admin-key';
