import { z } from 'zod';

/**
 * Builders for the variables of env.schema.ts: each carries its group, default, allowed range and
 * description as zod metadata, which the error messages and docs/configuration.md are made from.
 */

export type VarGroup =
  | 'Server'
  | 'Database'
  | 'Debates'
  | 'Timeouts'
  | 'Rate limiting'
  | 'Authentication'
  | 'Providers'
  | 'Demo provider'
  | 'WebSocket'
  | 'Redis'
  | 'SLO'
  | 'Caches';

export interface VarMeta {
  group: VarGroup;
  description: string;
  /** Human-readable allowed values, shown in errors and docs. */
  allowed: string;
  /** Default as shown in docs (undefined: unset by default). */
  default?: string;
  /** Never logged, never shown. */
  secret?: boolean;
  /** Older names accepted for the same variable. */
  aliases?: readonly string[];
}

export const meta = <T extends z.ZodType>(schema: T, m: VarMeta): T => schema.meta({ ...m });

export const int = (group: VarGroup, def: number, min: number, max: number, description: string) =>
  meta(z.coerce.number().int().min(min).max(max).default(def), {
    group,
    description,
    allowed: `integer ${min}–${max}`,
    default: String(def),
  });

export const num = (group: VarGroup, def: number, min: number, max: number, description: string) =>
  meta(z.coerce.number().min(min).max(max).default(def), {
    group,
    description,
    allowed: `number ${min}–${max}`,
    default: String(def),
  });

export const bool = (group: VarGroup, def: boolean, description: string) =>
  meta(z.stringbool().default(def), {
    group,
    description,
    allowed: 'true | false',
    default: String(def),
  });

export const str = (group: VarGroup, def: string, description: string) =>
  meta(z.string().min(1).default(def), {
    group,
    description,
    allowed: 'non-empty string',
    default: def,
  });

export const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/ })
  .optional()
  .meta({
    group: 'Database',
    description:
      'External PostgreSQL 15+ server. Unset: an embedded PostgreSQL is started in ARAGORA_DATA_DIR.',
    allowed: 'postgres:// or postgresql:// URL',
    secret: true,
  } satisfies VarMeta);

export const redisUrl = z
  .url({ protocol: /^rediss?$/ })
  .optional()
  .meta({
    group: 'Redis',
    description:
      'Enables the distributed mode (shared rate limits, caches, fan-out, queue). Unset: everything runs in-process.',
    allowed: 'redis:// or rediss:// URL',
    secret: true,
    aliases: ['ARAGORA_REDIS_URL'],
  } satisfies VarMeta);

export const apiKey = (provider: string, aliases?: readonly string[]) =>
  z
    .string()
    .min(1)
    .optional()
    .meta({
      group: 'Providers',
      description: `${provider} API key. Set: the ${provider} preset agent appears and tenants may use the provider.`,
      allowed: 'non-empty string',
      secret: true,
      ...(aliases && { aliases }),
    } satisfies VarMeta);

export const baseUrl = (provider: string, aliases?: readonly string[]) =>
  z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      group: 'Providers',
      description: `${provider} API base URL (a proxy or gateway). Unset: the provider's public endpoint.`,
      allowed: 'http:// or https:// URL',
      ...(aliases && { aliases }),
    } satisfies VarMeta);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `200-800` or `0`: a fixed latency or a uniform range in milliseconds. */
export const latencyRange = meta(
  z
    .string()
    .default('200-800')
    .transform((value, ctx) => {
      const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
      const min = match ? Number(match[1]) : NaN;
      const max = match?.[2] !== undefined ? Number(match[2]) : min;
      if (!match || min > max || max > 600_000) {
        ctx.addIssue({ code: 'custom', message: 'expected `ms` or `min-max` in 0–600000' });
        return z.NEVER;
      }
      return { min, max };
    }),
  {
    group: 'Demo provider',
    description: 'Latency of each demo agent call: a fixed value or a uniform `min-max` range.',
    allowed: '`ms` or `min-max`, 0–600000',
    default: '200-800',
  },
);

export const proxyList = meta(
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .pipe(
      z.array(
        z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'private'])]),
      ),
    ),
  {
    group: 'Rate limiting',
    description:
      'Peers whose X-Forwarded-For is trusted for the client IP (comma-separated IPs/CIDRs, or `loopback`, `private`).',
    allowed: 'comma-separated IPs or CIDRs',
    default: '',
  },
);
