import { raceDeadline } from '../../../shared/deadline.js';
import type { SqlStoreConfig } from '../config.js';
import {
  createDbCredentialsProvider,
  type DbConnectionParams,
  type SecretStringReader,
} from './db-credentials.js';
import type { LegacyUser, LegacyUserStore } from './legacy-user-store.js';
import { mapLegacyRows } from './map-legacy-row.js';
import { LegacyRowShapeError } from '../errors.js';
import { scrubDriverError } from './scrub-driver-error.js';

/** What a SQL driver brings to a legacy store; the pool's life and the queries' discipline are shared. */
export interface SqlDriver<Pool> {
  /**
   * A pool for these credentials (TLS, timeouts and type parsing are the driver's business). May be
   * asynchronous, so that the driver's module is loaded only by the store that uses it.
   */
  createPool(params: DbConnectionParams): Pool | Promise<Pool>;
  /** Runs `sql` with the username as its one parameter; a SELECT's rows, or whatever a write returns. */
  query(pool: Pool, sql: string, username: string): Promise<unknown>;
  endPool(pool: Pool): Promise<void>;
  /** Error codes that mean the credentials were refused (a rotated secret): the pool is dropped. */
  readonly authFailureCodes: ReadonlySet<string>;
}

/**
 * A {@link LegacyUserStore} over a SQL driver: the pool is made on first use from the configured
 * credentials and reused across warm invocations; every query is parameterised and raced against the
 * invocation deadline; refused credentials drop the pool and the cached secret so the next invocation
 * reads the secret again.
 *
 * @example
 * ```ts
 * const store = createSqlLegacyStore(config, { createPool, query, endPool, authFailureCodes: new Set(['28P01']) });
 * ```
 */
export function createSqlLegacyStore<Pool>(
  config: Omit<SqlStoreConfig, 'kind'>,
  driver: SqlDriver<Pool>,
  options: { readSecret?: SecretStringReader } = {},
): LegacyUserStore {
  const credentials = createDbCredentialsProvider(config.credentials, options.readSecret);
  let pool: Pool | undefined;

  const poolFor = async (signal: AbortSignal): Promise<Pool> => {
    if (pool !== undefined) return pool;
    const params = await credentials.get(signal);
    const created = await raceDeadline(Promise.resolve(driver.createPool(params)), signal);
    // Another invocation cannot interleave in one Lambda container, but tests may: keep the first pool.
    if (pool !== undefined) {
      driver.endPool(created).catch(() => undefined);
      return pool;
    }
    pool = created;
    return pool;
  };

  const run = async (sql: string, username: string, signal: AbortSignal): Promise<unknown> => {
    const current = await poolFor(signal);
    try {
      return await raceDeadline(driver.query(current, sql, username), signal);
    } catch (error) {
      if (driver.authFailureCodes.has((error as { code?: string }).code ?? '')) {
        credentials.invalidate();
        if (pool === current) pool = undefined;
        driver.endPool(current).catch(() => undefined);
      }
      // The deadline's own error passes; a driver's message may quote the bound username: scrubbed.
      if (signal.aborted && error === signal.reason) throw error;
      throw scrubDriverError(error, [username]);
    }
  };

  const store: LegacyUserStore = {
    async findUser(username: string, signal: AbortSignal): Promise<LegacyUser | undefined> {
      const rows = await run(config.userQuery, username, signal);
      if (!Array.isArray(rows))
        throw new LegacyRowShapeError('LEGACY_USER_QUERY must be a SELECT that returns rows');
      return mapLegacyRows(rows as Record<string, unknown>[]);
    },
    async close(): Promise<void> {
      const current = pool;
      pool = undefined;
      if (current !== undefined) await driver.endPool(current);
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
