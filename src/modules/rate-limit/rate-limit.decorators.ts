import { SetMetadata } from '@nestjs/common';

export const ROUTE_THROTTLERS = 'aragora:route-throttlers';

/** Route-specific limits on top of the tier limits. */
export type RouteThrottlerName = 'debates' | 'uploads-minute' | 'uploads-hour';

/** Adds the named route limits (configured in RateLimitModule) to a route. */
export const RouteRateLimit = (...names: RouteThrottlerName[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_THROTTLERS, names);
