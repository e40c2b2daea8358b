import { http } from './http';
import { bearer, type TestKey } from './tenancy';
import type { TestApp } from './test-app';

export interface TenantResource {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path naming a resource owned by the owner's tenant. */
  readonly path: string;
  readonly body?: unknown;
}

/**
 * The isolation rule every tenant-owned endpoint must keep: a key of another tenant (even an
 * admin key) gets 404 (or 403) on the owner's resources and never sees or changes them; the
 * owner still can afterwards. Later modules add their resources to the list.
 */
export async function expectTenantIsolation(
  t: TestApp,
  owner: TestKey,
  intruder: TestKey,
  resources: readonly TenantResource[],
): Promise<void> {
  for (const resource of resources) {
    const init: RequestInit = {
      method: resource.method,
      headers: {
        ...bearer(intruder.key),
        ...(resource.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(resource.body === undefined ? {} : { body: JSON.stringify(resource.body) }),
    };
    const res = await http(`${t.baseUrl}${resource.path}`, init);
    if (res.status !== 404 && res.status !== 403) {
      throw new Error(
        `${resource.method} ${resource.path} by another tenant answered ${res.status}, expected 404/403: ${res.text}`,
      );
    }
  }
}
