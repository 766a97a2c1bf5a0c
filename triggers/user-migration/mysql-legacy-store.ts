import mysql from 'mysql2/promise';
import { raceDeadline } from '../../shared/deadline.js';
import type { SqlStoreConfig } from './config.js';
import {
  createDbCredentialsProvider,
  type DbConnectionParams,
  type SecretStringReader,
} from './db-credentials.js';
import { buildDbTlsOptions } from './db-tls.js';
import type { LegacyUser, LegacyUserStore } from './legacy-user-store.js';
import { mapLegacyRows } from './map-legacy-row.js';

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
  const credentials = createDbCredentialsProvider(config.credentials, options.readSecret);
  let pool: mysql.Pool | undefined;

  const poolFor = async (signal: AbortSignal): Promise<mysql.Pool> => {
    if (pool !== undefined) return pool;
    const params = await credentials.get(signal);
    pool ??= createPool(params, config);
    return pool;
  };

  const run = async (sql: string, username: string, signal: AbortSignal): Promise<unknown> => {
    const current = await poolFor(signal);
    try {
      const [rows] = await raceDeadline(
        current.execute({ sql, timeout: config.queryTimeoutMs }, [username]),
        signal,
      );
      return rows;
    } catch (error) {
      if (AUTH_FAILURES.has((error as { code?: string }).code ?? '')) {
        credentials.invalidate();
        if (pool === current) pool = undefined;
        current.end().catch(() => undefined);
      }
      throw error;
    }
  };

  const store: LegacyUserStore = {
    async findUser(username: string, signal: AbortSignal): Promise<LegacyUser | undefined> {
      const rows = await run(config.userQuery, username, signal);
      if (!Array.isArray(rows)) throw new Error('LEGACY_USER_QUERY must be a SELECT that returns rows');
      return mapLegacyRows(rows as Record<string, unknown>[]);
    },
    async close(): Promise<void> {
      const current = pool;
      pool = undefined;
      await current?.end();
    },
  };
  const recordQuery = config.recordMigratedQuery;
  if (recordQuery !== undefined) {
    store.recordMigrated = async (username, signal) => {
      await run(recordQuery, username, signal);
    };
  }
  return store;
}

function createPool(params: DbConnectionParams, config: Omit<SqlStoreConfig, 'kind'>): mysql.Pool {
  return mysql.createPool({
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
