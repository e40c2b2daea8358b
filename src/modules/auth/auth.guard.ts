import { timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { InjectConfig, type AppConfig } from '../../config';
import { ForbiddenError, UnauthorizedError } from '../../common/errors';
import { PUBLIC_ROUTE } from '../../common/http/public.decorator';
import { AuthFailureLimiter } from '../rate-limit/auth-failure.limiter';
import { PUBLIC_TENANT_ID, PUBLIC_TENANT_NAME } from '../tenants/tenant.entity';
import type { Role } from './api-key.entity';
import { MIN_ROLE, OPERATOR_ONLY } from './auth.decorators';
import type { ActiveKey } from './api-keys.repository';
import { KeyAuthenticator } from './key-authenticator';
import { bearerToken } from './api-key-secret';
import { hasRole, keyPrincipal, type Principal } from './principal';

const ANONYMOUS: Principal = {
  kind: 'anonymous',
  tenantId: PUBLIC_TENANT_ID,
  tenantName: PUBLIC_TENANT_NAME,
  role: 'member',
  tier: 'anonymous',
  keyId: null,
};

const OPERATOR: Principal = { kind: 'operator' };

export interface RouteAuth {
  readonly isPublic: boolean;
  readonly operatorOnly: boolean;
  readonly minRole: Role;
}

/** A tenant route with no auth decorator: any key of the tenant (or anonymous, when allowed). */
export const TENANT_ROUTE: RouteAuth = { isPublic: false, operatorOnly: false, minRole: 'viewer' };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Resolves the principal of every non-public request ({tenant, role, tier, key id}), then checks
 * the route's role. Bad or revoked keys answer 401; repeated failures from one IP answer 429.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly routes = new WeakMap<object, RouteAuth>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: KeyAuthenticator,
    private readonly failures: AuthFailureLimiter,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routeFor(context);
    if (route.isPublic) return true;
    await this.authenticate(context.switchToHttp().getRequest<FastifyRequest>(), route);
    return true;
  }

  /**
   * Sets `request.principal` for a non-public route, or fails with the 401/403/429 problem. What
   * the guard does for Nest routes, and what plain Fastify routes (`/api/v1/me`) call directly.
   * Synchronous (a principal, or a thrown 403) whenever no lookup is needed — anonymous access or
   * a key in the key cache — so that such a request costs no promise; a promise otherwise.
   */
  authenticate(request: FastifyRequest, route: RouteAuth): Principal | Promise<Principal> {
    const token = bearerToken(request.headers.authorization);

    if (route.operatorOnly) {
      const expected = this.config.auth.adminToken;
      if (token !== undefined && expected !== undefined && sameSecret(token, expected)) {
        request.principal = OPERATOR;
        return OPERATOR;
      }
      return this.reject(
        request,
        expected
          ? 'A valid operator token is required'
          : 'The operator API is disabled (ARAGORA_ADMIN_TOKEN is unset)',
      );
    }

    if (token === undefined) {
      if (!this.config.auth.allowAnonymous)
        return this.reject(request, 'An API key is required', false);
      return this.withRole(request, ANONYMOUS, route);
    }
    const cached = this.authenticator.resolveCached(token);
    if (cached !== null) return this.withKey(request, cached, route);
    return this.authenticator.resolve(token).then((key) => this.withKey(request, key, route));
  }

  private withKey(
    request: FastifyRequest,
    key: ActiveKey | undefined,
    route: RouteAuth,
  ): Principal | Promise<never> {
    if (!key) return this.reject(request, 'The API key is invalid or revoked');
    return this.withRole(request, keyPrincipal(key), route);
  }

  private withRole(request: FastifyRequest, principal: Principal, route: RouteAuth): Principal {
    request.principal = principal;
    if (!hasRole(principal, route.minRole)) {
      throw new ForbiddenError(`This needs the ${route.minRole} role`);
    }
    return principal;
  }

  /** Route metadata read once per handler, not on every request. */
  private routeFor(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      const targets = [handler, context.getClass()];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
        operatorOnly: this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets) === true,
        minRole: this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets) ?? 'viewer',
      };
      this.routes.set(handler, route);
    }
    return route;
  }

  /** 401, or 429 once this IP has failed too often. Missing credentials do not count as a failure. */
  private async reject(
    request: FastifyRequest,
    message: string,
    countsAsFailure = true,
  ): Promise<never> {
    if (countsAsFailure) await this.failures.recordFailure(request.ip);
    throw new UnauthorizedError(message);
  }
}
