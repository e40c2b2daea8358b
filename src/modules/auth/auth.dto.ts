import { z } from 'zod';
import { ROLES, TIERS } from './api-key.entity';

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w][\w .@:-]*$/, 'letters, digits, spaces and . _ @ : - only');

export const newKeySchema = z.strictObject({
  name: displayName,
  role: z.enum(ROLES).default('member'),
  tier: z.enum(TIERS).default('authenticated'),
});
export type NewKeyBody = z.infer<typeof newKeySchema>;

export const newTenantSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(63)
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      'lowercase letters, digits and - only, starting with a letter or digit',
    ),
});
export type NewTenantBody = z.infer<typeof newTenantSchema>;
