import mysql from 'mysql2/promise';

/** The machine's MariaDB/MySQL, when it answers. */
export interface TestMariadb {
  readonly url: string;
  readonly available: boolean;
  /** Why the tests that need it do not run (when `available` is false). */
  readonly reason?: string;
}

const URL_TEXT = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Probes MariaDB at 127.0.0.1:3306 (root, empty password, db `test`). There is no embedded fallback:
 * suites use `describe.skipIf(!mariadb.available)` and print the reason, so a skipped run says so.
 */
export async function probeMariadb(): Promise<TestMariadb> {
  try {
    const connection = await mysql.createConnection({ uri: URL_TEXT, connectTimeout: 1000 });
    await connection.query('SELECT 1');
    await connection.end();
    return { url: URL_TEXT, available: true };
  } catch (error) {
    const reason = `MariaDB at ${URL_TEXT} did not answer (${(error as Error).message}); the MariaDB adapter tests DID NOT RUN`;
    console.warn(reason);
    return { url: URL_TEXT, available: false, reason };
  }
}

/** Runs SQL on a fresh connection (schema setup and teardown). */
export async function runMariadbSql(url: string, sql: string, values: unknown[] = []): Promise<unknown> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await connection.query(sql, values);
    return rows;
  } finally {
    await connection.end();
  }
}
