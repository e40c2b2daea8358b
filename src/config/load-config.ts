import { z } from 'zod';
import packageJson from '../../package.json';
import { toAppConfig, type AppConfig } from './app-config';
import { envNames, envSchema, varMeta, type EnvName } from './env.schema';

export interface ConfigProblem {
  readonly name: EnvName;
  readonly value: string | undefined;
  readonly allowed: string;
  readonly reason: string;
}

/** Thrown when one or more variables are invalid; `message` lists every one of them. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        `Invalid configuration: ${problems.length} variable(s) rejected`,
        ...problems.map(
          (p) =>
            `  ${p.name}=${p.value === undefined ? '(unset)' : JSON.stringify(p.value)}: allowed ${p.allowed} (${p.reason})`,
        ),
      ].join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Picks the known variables (and their aliases), treating empty strings as unset. */
function pickKnown(source: EnvSource): Partial<Record<EnvName, string>> {
  const picked: Partial<Record<EnvName, string>> = {};
  for (const name of envNames) {
    const candidates = [name, ...(varMeta(name).aliases ?? [])];
    const value = candidates.map((key) => source[key]).find((v) => v !== undefined && v !== '');
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function describe(name: EnvName, raw: string | undefined, issue: z.core.$ZodIssue): ConfigProblem {
  const meta = varMeta(name);
  return {
    name,
    value: meta.secret && raw !== undefined ? '***' : raw,
    allowed: meta.allowed,
    reason: issue.message,
  };
}

/** Validates the environment once; throws ConfigValidationError naming every bad variable. */
export function loadConfig(source: EnvSource): AppConfig {
  const raw = pickKnown(source);
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const seen = new Set<EnvName>();
    const problems: ConfigProblem[] = [];
    for (const issue of parsed.error.issues) {
      const name = issue.path[0] as EnvName;
      if (seen.has(name)) continue;
      seen.add(name);
      problems.push(describe(name, raw[name], issue));
    }
    throw new ConfigValidationError(problems);
  }
  return toAppConfig(parsed.data, packageJson.version);
}

/** The one place the process environment is read. */
export function loadConfigFromProcess(): AppConfig {
  return loadConfig(process.env);
}
