import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ConfigError } from './errors.js';

/** Environment variables as Lambda hands them to a function. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * One variable as a reader declared it: what the documentation tables (`npm run generate:docs`) show.
 *
 * @example
 * ```ts
 * { name: 'ON_LOOKUP_FAILURE', kind: 'oneOf', required: false, default: 'deny', allowed: ['deny', 'stale', 'omit'], doc: '...' }
 * ```
 */
export interface VariableDescription {
  readonly name: string;
  readonly kind: 'string' | 'number' | 'boolean' | 'oneOf' | 'list';
  readonly required: boolean;
  /** The default, as it would be written in the variable; `undefined` when there is none. */
  readonly default?: string;
  /** The values a `oneOf` accepts. */
  readonly allowed?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** What the variable means, one line for the table. */
  readonly doc?: string;
}

/** What every read takes: `doc`, the meaning shown in the docs' configuration table. */
interface Documented {
  readonly doc?: string;
}
interface StringOptions extends Documented {
  readonly required?: boolean;
  readonly default?: string;
}
interface NumberOptions extends Documented {
  readonly required?: boolean;
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}
interface OneOfOptions<T extends string> extends Documented {
  readonly required?: boolean;
  readonly default?: T;
}

/**
 * Collects every problem in a trigger's configuration, then fails once with all of them.
 * Built on Powertools' env helpers; reads each variable once, at cold start. Every read also
 * declares the variable (kind, default, allowed values, `doc`), so the docs' tables are generated
 * from the readers themselves (see {@link describeVariablesRead}).
 *
 * @example
 * ```ts
 * const env = createEnvReader(process.env);
 * const tableName = env.string('TENANT_TABLE_NAME', { required: true, doc: 'the tenant table' });
 * const ttl = env.number('TENANT_CACHE_TTL_SECONDS', { default: 300, min: 0, integer: true });
 * const onFailure = env.oneOf('ON_LOOKUP_FAILURE', ['deny', 'stale', 'omit'] as const, { default: 'deny' });
 * env.done(); // throws ConfigError("Invalid configuration: TENANT_TABLE_NAME: is required; ...")
 * const config = Object.freeze({ tableName, ttl, onFailure });
 * ```
 */
export interface EnvReader {
  /** A trimmed string; `undefined` when unset or empty and not required. */
  string(key: string, options: StringOptions & ({ required: true } | { default: string })): string;
  string(key: string, options?: StringOptions): string | undefined;
  /** A finite number within bounds; the default when unset or empty. */
  number(key: string, options: NumberOptions & { default: number }): number;
  number(key: string, options?: NumberOptions): number | undefined;
  /** true/false/1/0/yes/no/on/off (case-insensitive); the default when unset or empty. */
  boolean(key: string, options: Documented & { default: boolean }): boolean;
  /** One of `values` (case-sensitive). */
  oneOf<const T extends string>(
    key: string,
    values: readonly T[],
    options: OneOfOptions<T> & { default: T },
  ): T;
  oneOf<const T extends string>(key: string, values: readonly T[], options?: OneOfOptions<T>): T | undefined;
  /** A comma- or whitespace-separated list; empty when unset. */
  list(key: string, options?: Documented): string[];
  /** Records a problem that a cross-variable check found. */
  problem(key: string, message: string): void;
  /** Throws one ConfigError listing every problem recorded so far. */
  done(): void;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'n', 'f']);

// Set only while describeVariablesRead runs (synchronously): readers report what they declare to it.
let recorder: ((variable: VariableDescription) => void) | undefined;

/**
 * The variables `read` declares while it runs, in order, each once; `read` may throw (a ConfigError
 * for the sample environment is expected), its declarations are kept. Used by `npm run generate:docs`.
 *
 * @example
 * ```ts
 * describeVariablesRead(() => readTenantClaimsConfig({ TENANT_TABLE_NAME: 't' }))[0].name; // 'TENANT_TABLE_NAME'
 * ```
 */
export function describeVariablesRead(read: () => unknown): VariableDescription[] {
  const seen = new Map<string, VariableDescription>();
  const previous = recorder;
  recorder = (variable) => {
    if (!seen.has(variable.name)) seen.set(variable.name, variable);
  };
  try {
    read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  } finally {
    recorder = previous;
  }
  return [...seen.values()];
}

/** Creates an {@link EnvReader} over `env` (default: `process.env`). */
export function createEnvReader(env: Env = process.env): EnvReader {
  const problems: string[] = [];
  const raw = (key: string): string | undefined => {
    // Powertools' helper reads process.env; an injected env (tests, tools) is read the same way by hand.
    const value =
      env === process.env ? getStringFromEnv({ key, defaultValue: '' }) : (readFrom(env, key) ?? '').trim();
    return value === '' ? undefined : value;
  };
  // The description is built only while describeVariablesRead records: never at a cold start.
  const declare = (
    kind: VariableDescription['kind'],
    key: string,
    options: AnyOptions,
    allowed?: readonly string[],
  ) => recorder?.(describeRead(kind, key, options, allowed));
  const missing = (key: string): undefined => {
    problems.push(`${key}: is required`);
    return undefined;
  };

  function readString(
    key: string,
    options: StringOptions & ({ required: true } | { default: string }),
  ): string;
  function readString(key: string, options?: StringOptions): string | undefined;
  function readString(key: string, options: StringOptions = {}): string | undefined {
    declare('string', key, options);
    const value = raw(key);
    if (value !== undefined) return value;
    if (options.default !== undefined) return options.default;
    return options.required ? missing(key) : undefined;
  }

  function readNumber(key: string, options: NumberOptions & { default: number }): number;
  function readNumber(key: string, options?: NumberOptions): number | undefined;
  function readNumber(key: string, options: NumberOptions = {}): number | undefined {
    const { min, max, integer } = options;
    declare('number', key, options);
    const text = raw(key);
    if (text === undefined) {
      if (options.default !== undefined) return options.default;
      return options.required ? missing(key) : undefined;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      problems.push(`${key}: must be a number, got "${text}"`);
    } else if (integer && !Number.isInteger(value)) {
      problems.push(`${key}: must be a whole number, got "${text}"`);
    } else if (min !== undefined && value < min) {
      problems.push(`${key}: must be at least ${min}, got ${value}`);
    } else if (max !== undefined && value > max) {
      problems.push(`${key}: must be at most ${max}, got ${value}`);
    } else {
      return value;
    }
    return options.default;
  }

  function readOneOf<const T extends string>(
    key: string,
    values: readonly T[],
    options: OneOfOptions<T> & { default: T },
  ): T;
  function readOneOf<const T extends string>(
    key: string,
    values: readonly T[],
    options?: OneOfOptions<T>,
  ): T | undefined;
  function readOneOf<const T extends string>(
    key: string,
    values: readonly T[],
    options: OneOfOptions<T> = {},
  ): T | undefined {
    declare('oneOf', key, options, values);
    const text = raw(key);
    if (text === undefined) {
      if (options.default !== undefined) return options.default;
      return options.required ? missing(key) : undefined;
    }
    const match = values.find((value) => value === text);
    if (match !== undefined) return match;
    problems.push(`${key}: must be one of ${values.join(', ')}, got "${text}"`);
    return options.default;
  }

  return {
    string: readString,
    number: readNumber,
    oneOf: readOneOf,
    boolean(key: string, options: Documented & { default: boolean }): boolean {
      declare('boolean', key, options);
      const text = raw(key)?.toLowerCase();
      if (text === undefined) return options.default;
      if (TRUE_WORDS.has(text)) return true;
      if (FALSE_WORDS.has(text)) return false;
      problems.push(`${key}: must be true or false, got "${text}"`);
      return options.default;
    },
    list(key: string, options: Documented = {}): string[] {
      declare('list', key, options);
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
}

/** What any read takes, for {@link describeRead}. */
type AnyOptions = Documented & {
  readonly required?: boolean;
  readonly default?: string | number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
};

/** How a read declares its variable to {@link describeVariablesRead}. */
function describeRead(
  kind: VariableDescription['kind'],
  name: string,
  options: AnyOptions,
  allowed?: readonly string[],
): VariableDescription {
  const { required, doc } = options;
  const written = options.default === undefined ? undefined : String(options.default);
  switch (kind) {
    case 'string':
      return { name, kind, required: required === true, default: written, doc };
    case 'number':
      return {
        name,
        kind,
        required: required === true,
        default: written,
        min: options.min,
        max: options.max,
        integer: options.integer,
        doc,
      };
    case 'oneOf':
      return { name, kind, required: required === true, default: written, allowed, doc };
    case 'boolean':
      return { name, kind, required: false, default: written, doc };
    case 'list':
      return { name, kind, required: false, doc };
  }
}

function readFrom(env: Env, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, key) ? env[key] : undefined;
}

/**
 * Checks a port passed in code (a store, a directory, a catalog) before a factory builds on it, so a
 * wrong object fails the cold start with a `ConfigError` that names the option, not the first invocation.
 *
 * @example
 * ```ts
 * checkPort('store', options.store, ['findUser']); // ConfigError: "store: must implement findUser()"
 * ```
 */
export function checkPort(option: string, port: unknown, methods: readonly string[]): void {
  if (port === undefined) return;
  if (typeof port !== 'object' || port === null) throw new ConfigError([`${option}: must be an object`]);
  const missing = methods.filter((method) => typeof (port as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0)
    throw new ConfigError(missing.map((method) => `${option}: must implement ${method}()`));
}
