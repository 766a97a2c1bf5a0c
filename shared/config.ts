import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ConfigError } from './errors.js';

/** Environment variables as Lambda hands them to a function. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Collects every problem in a trigger's configuration, then fails once with all of them.
 * Built on Powertools' env helpers; reads each variable once, at cold start.
 *
 * @example
 * ```ts
 * const env = createEnvReader(process.env);
 * const tableName = env.string('TENANT_TABLE_NAME', { required: true });
 * const ttl = env.number('TENANT_CACHE_TTL_SECONDS', { default: 300, min: 0, integer: true });
 * const onFailure = env.oneOf('ON_LOOKUP_FAILURE', ['deny', 'stale', 'omit'] as const, { default: 'deny' });
 * env.done(); // throws ConfigError("Invalid configuration: TENANT_TABLE_NAME: is required; ...")
 * const config = Object.freeze({ tableName, ttl, onFailure });
 * ```
 */
export interface EnvReader {
  /** A trimmed string; `undefined` when unset or empty and not required. */
  string(key: string, options: { required: true; default?: string }): string;
  string(key: string, options: { default: string }): string;
  string(key: string, options?: { required?: boolean; default?: string }): string | undefined;
  /** A finite number within bounds; the default when unset or empty. */
  number(key: string, options: { default: number; min?: number; max?: number; integer?: boolean }): number;
  number(
    key: string,
    options?: { required?: boolean; min?: number; max?: number; integer?: boolean },
  ): number | undefined;
  /** true/false/1/0/yes/no/on/off (case-insensitive); the default when unset or empty. */
  boolean(key: string, options: { default: boolean }): boolean;
  /** One of `values` (case-sensitive). */
  oneOf<const T extends string>(key: string, values: readonly T[], options: { default: T }): T;
  oneOf<const T extends string>(
    key: string,
    values: readonly T[],
    options?: { required?: boolean },
  ): T | undefined;
  /** A comma- or whitespace-separated list; empty when unset. */
  list(key: string): string[];
  /** Records a problem that a cross-variable check found. */
  problem(key: string, message: string): void;
  /** Throws one ConfigError listing every problem recorded so far. */
  done(): void;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'n', 'f']);

/** Creates an {@link EnvReader} over `env` (default: `process.env`). */
export function createEnvReader(env: Env = process.env): EnvReader {
  const problems: string[] = [];
  const raw = (key: string): string | undefined => {
    // Powertools' helper reads process.env; an injected env (tests, tools) is read the same way by hand.
    const value =
      env === process.env ? getStringFromEnv({ key, defaultValue: '' }) : (readFrom(env, key) ?? '').trim();
    return value === '' ? undefined : value;
  };
  const missing = (key: string): undefined => {
    problems.push(`${key}: is required`);
    return undefined;
  };

  const reader: EnvReader = {
    string(key: string, options?: { required?: boolean; default?: string }): never {
      const value = raw(key);
      if (value !== undefined) return value as never;
      if (options?.default !== undefined) return options.default as never;
      return (options?.required ? missing(key) : undefined) as never;
    },
    number(
      key: string,
      options?: { required?: boolean; default?: number; min?: number; max?: number; integer?: boolean },
    ): never {
      const text = raw(key);
      if (text === undefined) {
        if (options?.default !== undefined) return options.default as never;
        return (options?.required ? missing(key) : undefined) as never;
      }
      const value = Number(text);
      if (!Number.isFinite(value)) {
        problems.push(`${key}: must be a number, got "${text}"`);
      } else if (options?.integer && !Number.isInteger(value)) {
        problems.push(`${key}: must be a whole number, got "${text}"`);
      } else if (options?.min !== undefined && value < options.min) {
        problems.push(`${key}: must be at least ${options.min}, got ${value}`);
      } else if (options?.max !== undefined && value > options.max) {
        problems.push(`${key}: must be at most ${options.max}, got ${value}`);
      } else {
        return value as never;
      }
      return (options?.default ?? undefined) as never;
    },
    boolean(key: string, options: { default: boolean }): boolean {
      const text = raw(key)?.toLowerCase();
      if (text === undefined) return options.default;
      if (TRUE_WORDS.has(text)) return true;
      if (FALSE_WORDS.has(text)) return false;
      problems.push(`${key}: must be true or false, got "${text}"`);
      return options.default;
    },
    oneOf<const T extends string>(
      key: string,
      values: readonly T[],
      options?: { required?: boolean; default?: T },
    ): never {
      const text = raw(key);
      if (text === undefined) {
        if (options?.default !== undefined) return options.default as never;
        return (options?.required ? missing(key) : undefined) as never;
      }
      if ((values as readonly string[]).includes(text)) return text as never;
      problems.push(`${key}: must be one of ${values.join(', ')}, got "${text}"`);
      return (options?.default ?? undefined) as never;
    },
    list(key: string): string[] {
      const text = raw(key);
      return text === undefined ? [] : text.split(/[\s,]+/).filter((item) => item.length > 0);
    },
    problem(key: string, message: string): void {
      problems.push(`${key}: ${message}`);
    },
    done(): void {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
  return reader;
}

function readFrom(env: Env, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, key) ? env[key] : undefined;
}
