import { http } from './http';
import { TEST_OPERATOR_TOKEN, type TestApp } from './test-app';

export interface TestKey {
  readonly id: string;
  readonly key: string;
  readonly tenantId: string;
  readonly tenantName: string;
}

let tenantCounter = 0;

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...bearer(TEST_OPERATOR_TOKEN) },
  body: JSON.stringify(body),
});

/** A new tenant through the operator API, with one key of the given role and tier. */
export async function createTenantWithKey(
  t: TestApp,
  options: { role?: string; tier?: string; tenant?: string } = {},
): Promise<TestKey> {
  const name = options.tenant ?? `tenant-${process.pid}-${++tenantCounter}-${Date.now() % 100000}`;
  const tenant = await http<{ id: string; name: string }>(
    `${t.baseUrl}/api/v1/admin/tenants`,
    json({ name }),
  );
  if (tenant.status !== 201)
    throw new Error(`tenant creation failed: ${tenant.status} ${tenant.text}`);
  return addKey(t, tenant.body.id, name, options);
}

/** Another key for an existing tenant, through the operator API. */
export async function addKey(
  t: TestApp,
  tenantId: string,
  tenantName: string,
  options: { role?: string; tier?: string } = {},
): Promise<TestKey> {
  const key = await http<{ id: string; key: string }>(
    `${t.baseUrl}/api/v1/admin/tenants/${tenantId}/keys`,
    json({
      name: 'test key',
      role: options.role ?? 'admin',
      tier: options.tier ?? 'authenticated',
    }),
  );
  if (key.status !== 201) throw new Error(`key creation failed: ${key.status} ${key.text}`);
  return { id: key.body.id, key: key.body.key, tenantId, tenantName };
}
