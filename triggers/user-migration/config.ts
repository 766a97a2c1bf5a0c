import type * as NodeFs from 'node:fs';
import { createEnvReader, type Env, type EnvReader } from '../../shared/config.js';
import { HASH_SCHEMES, type HashScheme } from './password/verify-legacy-password.js';
import { COGNITO_DEFAULT_POLICY, type PasswordPolicy } from './password/password-policy.js';
import { requireBuiltin } from '../../shared/builtins.js';

export type SqlEngine = 'postgres' | 'mysql';

/** Where database credentials come from: a URL, or a Secrets Manager secret in the RDS JSON format. */
export type DbCredentialsSource =
  { readonly kind: 'url'; readonly url: string } | { readonly kind: 'secret'; readonly secretArn: string };

/**
 * TLS to the database. `verify` (default): TLS, certificate and host name checked against Node's CAs
 * plus `LEGACY_DB_CA_FILE` (the RDS bundle for RDS/Aurora); `no-verify`: encrypted, any certificate;
 * `off`: plaintext (local databases only).
 */
export interface DbTlsSettings {
  readonly mode: 'verify' | 'no-verify' | 'off';
  /** PEM text of extra CAs, read from LEGACY_DB_CA_FILE at cold start. */
  readonly ca?: string;
}

export interface SqlStoreConfig {
  readonly kind: SqlEngine;
  readonly credentials: DbCredentialsSource;
  readonly userQuery: string;
  readonly recordMigratedQuery?: string;
  readonly tls: DbTlsSettings;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

export interface HttpStoreConfig {
  readonly kind: 'http';
  readonly url: string;
  readonly recordMigratedUrl?: string;
  /** The bearer token: from the environment or from a Secrets Manager secret. */
  readonly token?:
    | { readonly kind: 'value'; readonly value: string }
    | { readonly kind: 'secret'; readonly secretArn: string };
  readonly timeoutMs: number;
}

export type LegacyStoreConfig = SqlStoreConfig | HttpStoreConfig;

export interface HashingConfig {
  /** The scheme unknown users are checked against (should be what most legacy users have). */
  readonly dummyScheme: HashScheme;
  /** Work factor of the dummy hash (bcrypt cost, PBKDF2 iterations, ...); the module's default when unset. */
  readonly dummyCost?: number;
  /** A ready-made dummy: a hash of a random throwaway password from your own store, same cost. */
  readonly dummyHash?: string;
  /**
   * True when none of `LEGACY_HASH_SCHEME`, `LEGACY_HASH_COST`, `LEGACY_DUMMY_HASH` is set: the dummy then
   * follows the scheme and cost of the real hashes the container has seen (see `password/dummy-calibration.ts`).
   */
  readonly dummyFollowsStore?: boolean;
}

export interface UserMigrationConfig {
  /** Absent when the store is plugged in with code (`createUserMigrationHandler({ store })`). */
  readonly store?: LegacyStoreConfig;
  readonly passwordPolicy: PasswordPolicy;
  readonly hashing: HashingConfig;
}

/**
 * Reads the UserMigration configuration once, failing with one ConfigError that names every bad
 * variable. `storeFromEnv: false` skips the LEGACY_STORE variables (a custom store is in use).
 */
export function readUserMigrationConfig(
  env: Env = process.env,
  { storeFromEnv = true }: { storeFromEnv?: boolean } = {},
): UserMigrationConfig {
  const reader = createEnvReader(env);
  const store = storeFromEnv ? readStoreConfig(reader) : undefined;
  const passwordPolicy: PasswordPolicy = Object.freeze({
    minLength: reader.number('PASSWORD_MIN_LENGTH', {
      default: COGNITO_DEFAULT_POLICY.minLength,
      min: 6,
      max: 99,
      integer: true,
      doc: "Mirror of the user pool's password policy (Cognito's defaults)",
    }),
    requireLowercase: reader.boolean('PASSWORD_REQUIRE_LOWERCASE', {
      default: COGNITO_DEFAULT_POLICY.requireLowercase,
      doc: "Mirror of the pool's policy; a verified password failing it migrates as `RESET_REQUIRED`",
    }),
    requireUppercase: reader.boolean('PASSWORD_REQUIRE_UPPERCASE', {
      default: COGNITO_DEFAULT_POLICY.requireUppercase,
      doc: "Mirror of the pool's policy; a verified password failing it migrates as `RESET_REQUIRED`",
    }),
    requireNumbers: reader.boolean('PASSWORD_REQUIRE_NUMBERS', {
      default: COGNITO_DEFAULT_POLICY.requireNumbers,
      doc: "Mirror of the pool's policy; a verified password failing it migrates as `RESET_REQUIRED`",
    }),
    requireSymbols: reader.boolean('PASSWORD_REQUIRE_SYMBOLS', {
      default: COGNITO_DEFAULT_POLICY.requireSymbols,
      doc: "Mirror of the pool's policy; a verified password failing it migrates as `RESET_REQUIRED`",
    }),
  });
  const dummyScheme = reader.oneOf('LEGACY_HASH_SCHEME', HASH_SCHEMES, {
    doc: 'Scheme of the dummy hash for unknown users; unset (with the two below), the dummy follows the real hashes the container verified, `bcrypt` cost 12 until the first',
  });
  const dummyCost = reader.number('LEGACY_HASH_COST', {
    min: 1,
    integer: true,
    doc: 'Work factor of the dummy hash (bcrypt cost, phpass log2 rounds, PBKDF2 iterations, ...), as in your store; the scheme default when unset',
  });
  const dummyHash = reader.string('LEGACY_DUMMY_HASH', {
    doc: 'Instead: a hash from your own store of a random throwaway password (matches your cost exactly)',
  });
  const hashing: HashingConfig = Object.freeze({
    dummyScheme: dummyScheme ?? 'bcrypt',
    dummyCost,
    dummyHash,
    dummyFollowsStore: dummyScheme === undefined && dummyCost === undefined && dummyHash === undefined,
  });
  reader.done();
  return Object.freeze({ store, passwordPolicy, hashing });
}

function readStoreConfig(reader: EnvReader): LegacyStoreConfig | undefined {
  const kind = reader.oneOf('LEGACY_STORE', ['postgres', 'mysql', 'http'] as const, {
    required: true,
    doc: 'The legacy store: `postgres`, `mysql` (also MariaDB) or `http`; not read when a store is passed in code',
  });
  if (kind === 'http') return readHttpStoreConfig(reader);
  if (kind === undefined) return undefined;

  const url = reader.string('LEGACY_DB_URL', {
    doc: 'Local use only (`npm run invoke`, the sandbox; a variable is readable with `lambda:GetFunctionConfiguration`, deployed use `LEGACY_DB_SECRET_ARN`): `postgres://user:pw@host:5432/db` or `mysql://user:pw@host:3306/db`; no `?sslmode` (use `LEGACY_DB_TLS`)',
  });
  const secretArn = reader.string('LEGACY_DB_SECRET_ARN', {
    doc: 'Instead of the URL: a Secrets Manager secret in the RDS JSON format, read once per container, re-read after an authentication failure',
  });
  let credentials: DbCredentialsSource | undefined;
  if (url !== undefined && secretArn !== undefined) {
    reader.problem('LEGACY_DB_URL', 'set LEGACY_DB_URL or LEGACY_DB_SECRET_ARN, not both');
  } else if (url !== undefined) {
    // The URL carries a password: problems name what is wrong, never echo the value.
    const problem = checkDbUrl(url, kind);
    if (problem !== undefined) reader.problem('LEGACY_DB_URL', problem);
    credentials = { kind: 'url', url };
  } else if (secretArn !== undefined) {
    if (!secretArn.startsWith('arn:'))
      reader.problem('LEGACY_DB_SECRET_ARN', 'must be a Secrets Manager secret ARN');
    credentials = { kind: 'secret', secretArn };
  } else {
    reader.problem('LEGACY_DB_URL', `LEGACY_STORE=${kind} needs LEGACY_DB_URL or LEGACY_DB_SECRET_ARN`);
  }

  const userQuery = reader.string('LEGACY_USER_QUERY', {
    required: true,
    doc: 'One placeholder for the username: `$1` for postgres (may repeat), exactly one `?` for mysql; columns per the mapping below',
  });
  if (userQuery !== undefined) checkPlaceholders(reader, 'LEGACY_USER_QUERY', userQuery, kind);
  const recordMigratedQuery = reader.string('LEGACY_RECORD_MIGRATED_QUERY', {
    doc: 'Optional, same placeholder; must be idempotent (Cognito retries); its failure is logged, never fails the migration',
  });
  if (recordMigratedQuery !== undefined)
    checkPlaceholders(reader, 'LEGACY_RECORD_MIGRATED_QUERY', recordMigratedQuery, kind);

  const tls = readTlsSettings(reader);
  const poolMax = reader.number('LEGACY_DB_POOL_MAX', {
    default: 2,
    min: 1,
    max: 20,
    integer: true,
    doc: 'Connections per container (the pool is reused across warm invocations)',
  });
  const connectTimeoutMs = reader.number('LEGACY_DB_CONNECT_TIMEOUT_MS', {
    default: 2000,
    min: 50,
    max: 30_000,
    integer: true,
    doc: 'Connect timeout; the invocation deadline bounds it too',
  });
  const queryTimeoutMs = reader.number('LEGACY_DB_QUERY_TIMEOUT_MS', {
    default: 2000,
    min: 50,
    max: 30_000,
    integer: true,
    doc: 'postgres `statement_timeout` (+250 ms client timeout); mysql per-query timeout',
  });
  if (credentials === undefined || userQuery === undefined) return undefined;
  return Object.freeze({
    kind,
    credentials,
    userQuery,
    recordMigratedQuery,
    tls,
    poolMax,
    connectTimeoutMs,
    queryTimeoutMs,
  });
}

function readTlsSettings(reader: EnvReader): DbTlsSettings {
  const mode = reader.oneOf('LEGACY_DB_TLS', ['verify', 'no-verify', 'off'] as const, {
    default: 'verify',
    doc: '`verify`: TLS with certificate and host-name checks; `no-verify`: encrypted, any certificate; `off`: plaintext (local only)',
  });
  const caFile = reader.string('LEGACY_DB_CA_FILE', {
    doc: "A PEM bundle added to Node's CAs (e.g. the RDS global bundle, needed for RDS/Aurora with `verify`)",
  });
  if (caFile === undefined) return Object.freeze({ mode });
  if (mode === 'off') reader.problem('LEGACY_DB_CA_FILE', 'is set but LEGACY_DB_TLS=off');
  try {
    const ca = requireBuiltin<typeof NodeFs>('node:fs').readFileSync(caFile, 'utf8');
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      reader.problem('LEGACY_DB_CA_FILE', `${caFile} holds no PEM certificate`);
    return Object.freeze({ mode, ca });
  } catch {
    reader.problem('LEGACY_DB_CA_FILE', `cannot read ${caFile}`);
    return Object.freeze({ mode });
  }
}

function readHttpStoreConfig(reader: EnvReader): HttpStoreConfig | undefined {
  const url = reader.string('LEGACY_HTTP_URL', {
    required: true,
    doc: 'The legacy endpoint, `https://` (plain `http://` only to localhost), without credentials in it',
  });
  const recordMigratedUrl = reader.string('LEGACY_HTTP_RECORD_MIGRATED_URL', {
    doc: 'Optional record-back endpoint',
  });
  for (const [key, value] of [
    ['LEGACY_HTTP_URL', url],
    ['LEGACY_HTTP_RECORD_MIGRATED_URL', recordMigratedUrl],
  ] as const) {
    if (value === undefined) continue;
    const problem = checkHttpUrl(value);
    if (problem !== undefined) reader.problem(key, problem);
  }
  const tokenValue = reader.string('LEGACY_HTTP_TOKEN', {
    doc: 'Bearer token for the legacy endpoint, as a value',
  });
  const tokenSecretArn = reader.string('LEGACY_HTTP_TOKEN_SECRET_ARN', {
    doc: 'Bearer token from a Secrets Manager secret (the raw token or `{"token": "..."}`)',
  });
  if (tokenValue !== undefined && tokenSecretArn !== undefined) {
    reader.problem('LEGACY_HTTP_TOKEN', 'set LEGACY_HTTP_TOKEN or LEGACY_HTTP_TOKEN_SECRET_ARN, not both');
  }
  const timeoutMs = reader.number('LEGACY_HTTP_TIMEOUT_MS', {
    default: 2000,
    min: 50,
    max: 30_000,
    integer: true,
    doc: 'Per-request timeout; the deadline bounds it too',
  });
  if (url === undefined) return undefined;
  const token =
    tokenSecretArn !== undefined
      ? ({ kind: 'secret', secretArn: tokenSecretArn } as const)
      : tokenValue !== undefined
        ? ({ kind: 'value', value: tokenValue } as const)
        : undefined;
  return Object.freeze({ kind: 'http', url, recordMigratedUrl, token, timeoutMs });
}

const URL_PROTOCOLS: Record<SqlEngine, readonly string[]> = {
  postgres: ['postgres:', 'postgresql:'],
  mysql: ['mysql:', 'mariadb:'],
};

function checkDbUrl(text: string, engine: SqlEngine): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL (expected e.g. postgres://user:password@host:5432/db)';
  }
  if (!URL_PROTOCOLS[engine].includes(url.protocol)) {
    return `must start with ${URL_PROTOCOLS[engine].map((protocol) => `${protocol}//`).join(' or ')} for LEGACY_STORE=${engine}`;
  }
  if (url.hostname === '') return 'names no host';
  for (const name of ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey']) {
    if (url.searchParams.has(name))
      return `TLS is set with LEGACY_DB_TLS and LEGACY_DB_CA_FILE, not with ?${name} in the URL`;
  }
  return undefined;
}

function checkHttpUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  // The store sends no URL credentials (fetch refused them; node:http would send them as Basic auth).
  if (url.username !== '' || url.password !== '')
    return 'must not hold credentials (set LEGACY_HTTP_TOKEN or LEGACY_HTTP_TOKEN_SECRET_ARN)';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return undefined;
  return 'must be https:// (plain http:// only to localhost)';
}

/**
 * Requires exactly one placeholder: `$1` (any number of times) for postgres, one `?` for mysql.
 * Quoted literals are skipped, so `WHERE note <> '?'` is not counted.
 */
export function countPlaceholders(
  sql: string,
  engine: SqlEngine,
): { readonly count: number; readonly other: string[] } {
  const unquoted = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`/g, "''");
  if (engine === 'mysql') return { count: (unquoted.match(/\?/g) ?? []).length, other: [] };
  const numbered = unquoted.match(/\$\d+/g) ?? [];
  return {
    count: numbered.filter((token) => token === '$1').length,
    other: numbered.filter((token) => token !== '$1'),
  };
}

function checkPlaceholders(reader: EnvReader, key: string, sql: string, engine: SqlEngine): void {
  const { count, other } = countPlaceholders(sql, engine);
  if (engine === 'postgres') {
    if (count === 0) reader.problem(key, 'must use $1 for the username');
    if (other.length > 0) reader.problem(key, `may only use $1, found ${[...new Set(other)].join(', ')}`);
  } else if (count !== 1) {
    reader.problem(key, `must have exactly one ? placeholder for the username, found ${count}`);
  }
}
