import {
  Inject,
  Optional,
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Caller } from '@gw/audit';
import { rateLimitFields, RateLimiter, RateLimitError } from '@gw/rate-limit';
import { AdminAuthService } from './admin-auth.service';
import { type TenantPrincipal } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { bearerToken } from './domain/bearer-token';

interface AuthenticatedRequest extends FastifyRequest {
  sgwTenant?: TenantPrincipal;
  sgwAdmin?: string;
}

/** OpenAPI security scheme names. */
export const TENANT_KEY_SCHEME = 'tenant-key';
export const ADMIN_KEY_SCHEME = 'admin-key';

/** `/v1`: a live tenant API key (`Authorization: Bearer sgw_…`) of an active tenant. */
@Injectable()
export class TenantKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    @Optional() @Inject(RateLimiter) private readonly rateLimiter: RateLimiter | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const tenant = await this.keys.authenticate(bearerToken(request.headers.authorization));
    request.sgwTenant = tenant;
    // After authentication, so an unknown caller cannot spend a tenant's budget.
    if (!this.rateLimiter) return true;
    const decision = await this.rateLimiter.take(tenant.tenantId);
    // The RateLimit fields on every answer, the 429 included, so a bank can pace itself before it is refused.
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.headers(rateLimitFields(this.rateLimiter.policy, decision));
    if (!decision.allowed) {
      void reply.header('retry-after', String(decision.retryAfterSeconds));
      throw new RateLimitError(decision.retryAfterSeconds);
    }
    return true;
  }
}

/** `/admin/v1`: one of the ADMIN_API_KEY keys. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(private readonly admin: AdminAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.sgwAdmin = this.admin.authenticate(bearerToken(request.headers.authorization));
    return true;
  }
}

/** Marks a controller as part of the tenant API: guarded by a tenant key. */
export function TenantApi(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseGuards(TenantKeyGuard), ApiBearerAuth(TENANT_KEY_SCHEME));
}

/** Marks a controller as part of the admin API: guarded by an admin key. */
export function AdminApi(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseGuards(AdminKeyGuard), ApiBearerAuth(ADMIN_KEY_SCHEME));
}

/** The tenant whose key authenticated the request (routes under `TenantApi` only). */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantPrincipal => {
    const tenant = context.switchToHttp().getRequest<AuthenticatedRequest>().sgwTenant;
    if (!tenant) throw new Error('CurrentTenant used on a route without TenantKeyGuard');
    return tenant;
  },
);

/** The admin caller (key fingerprint and request id) for the audit log (routes under `AdminApi` only). */
export const AdminCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.sgwAdmin) throw new Error('AdminCaller used on a route without AdminKeyGuard');
  return { actor: request.sgwAdmin, requestId: request.id };
});
