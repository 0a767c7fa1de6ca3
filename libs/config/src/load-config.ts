import { type z } from 'zod';
import { ConfigError } from './config.errors';

export type Environment = Record<string, string | undefined>;

/**
 * Parses the environment once against a process's schema. Empty strings count as unset, so
 * `FOO=` in a compose file falls back to the default instead of failing a format check.
 */
export function loadConfig<Schema extends z.ZodType>(schema: Schema, env: Environment): z.output<Schema> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.map(String).join('.') || '(environment)',
      message: issue.message,
    })),
  );
}
