import type mysql from 'mysql2/promise';
import { loadMysqlModule } from '../../../shared/embedded-modules/embedded-packages.js';
import type { SqlStoreConfig } from '../config.js';
import type { DbConnectionParams, SecretStringReader } from './db-credentials.js';
import { buildDbTlsOptions } from './db-tls.js';
import type { LegacyUserStore } from './legacy-user-store.js';
import { createSqlLegacyStore } from './sql-legacy-store.js';

// The password or the user was refused, e.g. after a secret rotation.
const AUTH_FAILURES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

/**
 * A {@link LegacyUserStore} over MySQL or MariaDB. Statements are server-side prepared (`execute`),
 * the pool is created on first use and reused across warm invocations, and connect and query are
 * bounded by `connectTimeout`, a per-query timeout and the invocation deadline.
 *
 * @example
 * ```ts
 * const store = createMysqlLegacyStore({ ...config, userQuery: 'SELECT * FROM users WHERE username = ?' });
 * ```
 */
export function createMysqlLegacyStore(
  config: Omit<SqlStoreConfig, 'kind'>,
  options: { readSecret?: SecretStringReader } = {},
): LegacyUserStore {
  // Loaded now, at cold start, so the first query does not wait for the driver.
  loadMysqlModule().catch(() => undefined);
  return createSqlLegacyStore<mysql.Pool>(
    config,
    {
      createPool: async (params) => createPool(await loadMysqlModule(), params, config),
      query: async (pool, sql, username) => {
        const [rows] = await pool.execute({ sql, timeout: config.queryTimeoutMs }, [username]);
        return rows;
      },
      endPool: (pool) => pool.end(),
      authFailureCodes: AUTH_FAILURES,
    },
    options,
  );
}

function createPool(
  driver: typeof mysql,
  params: DbConnectionParams,
  config: Omit<SqlStoreConfig, 'kind'>,
): mysql.Pool {
  return driver.createPool({
    host: params.host,
    port: params.port,
    user: params.user,
    password: params.password,
    database: params.database,
    ssl: buildDbTlsOptions(config.tls),
    connectionLimit: config.poolMax,
    maxIdle: config.poolMax,
    idleTimeout: 60_000,
    connectTimeout: config.connectTimeoutMs,
    enableKeepAlive: true,
    // DATE stays 'YYYY-MM-DD'; big integers stay exact.
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4',
  });
}
