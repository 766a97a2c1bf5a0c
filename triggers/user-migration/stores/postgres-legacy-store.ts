import type pg from 'pg';
import { loadPgModule } from '../../../shared/embedded-modules/embedded-packages.js';
import type { SqlStoreConfig } from '../config.js';
import type { DbConnectionParams, SecretStringReader } from './db-credentials.js';
import { buildDbTlsOptions } from './db-tls.js';
import type { LegacyUserStore } from './legacy-user-store.js';
import { createSqlLegacyStore } from './sql-legacy-store.js';

const DATE_OID = 1082;
// DATE stays 'YYYY-MM-DD' (pg would make it a Date at local midnight, shifting birthdates across zones).
function dateAsText(driver: typeof pg): { getTypeParser: typeof pg.types.getTypeParser } {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === DATE_OID
        ? (value: string) => value
        : driver.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
}

// SQLSTATE 28P01/28000: the password or the role was refused, e.g. after a secret rotation.
const AUTH_FAILURES = new Set(['28P01', '28000']);

/**
 * A {@link LegacyUserStore} over PostgreSQL. The pool is created on first use and reused across warm
 * invocations; connect and query are bounded by the pool's timeouts, `statement_timeout`, and the
 * invocation deadline.
 *
 * @example
 * ```ts
 * const store = createPostgresLegacyStore({ ...config, userQuery: 'SELECT * FROM users WHERE username = $1' });
 * ```
 */
export function createPostgresLegacyStore(
  config: Omit<SqlStoreConfig, 'kind'>,
  options: { readSecret?: SecretStringReader } = {},
): LegacyUserStore {
  // Loaded now, at cold start, so the first query does not wait for the driver.
  loadPgModule().catch(() => undefined);
  return createSqlLegacyStore<pg.Pool>(
    config,
    {
      createPool: async (params) => createPool(await loadPgModule(), params, config),
      query: async (pool, sql, username) => (await pool.query({ text: sql, values: [username] })).rows,
      endPool: (pool) => pool.end(),
      authFailureCodes: AUTH_FAILURES,
    },
    options,
  );
}

function createPool(
  driver: typeof pg,
  params: DbConnectionParams,
  config: Omit<SqlStoreConfig, 'kind'>,
): pg.Pool {
  const pool = new driver.Pool({
    host: params.host,
    port: params.port,
    user: params.user,
    password: params.password,
    database: params.database,
    ssl: buildDbTlsOptions(config.tls) ?? false,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
    // The server stops the query, and the client stops waiting, a little later if the server cannot.
    statement_timeout: config.queryTimeoutMs,
    query_timeout: config.queryTimeoutMs + 250,
    idleTimeoutMillis: 60_000,
    application_name: 'cognito-user-migration',
    types: dateAsText(driver),
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', () => undefined);
  return pool;
}
