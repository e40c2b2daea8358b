import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'aragora:public';

/** No authentication and no tier limits: probes and metrics, polled by infrastructure. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
