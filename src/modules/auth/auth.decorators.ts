import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from './api-key.entity';
import type { Principal, TenantPrincipal } from './principal';

export const MIN_ROLE = 'aragora:min-role';
export const OPERATOR_ONLY = 'aragora:operator-only';

/** The least role a tenant principal needs (default: viewer, i.e. any key of the tenant). */
export const MinRole = (role: Role): MethodDecorator & ClassDecorator =>
  SetMetadata(MIN_ROLE, role);

/** Only the platform operator (ARAGORA_ADMIN_TOKEN) may call it. */
export const OperatorOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(OPERATOR_ONLY, true);

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('no principal: the route is missing the authentication guard');
  return principal;
}

/** The caller of a tenant route (key or anonymous). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantPrincipal => {
    const principal = principalOf(context);
    if (principal.kind === 'operator') throw new Error('operator principal on a tenant route');
    return principal;
  },
);
