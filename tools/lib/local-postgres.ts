import { Worker } from 'node:worker_threads';
import pg from 'pg';

/** A PostgreSQL that the real `pg` driver can talk to over TCP. */
export interface TestPostgres {
  /** Connection URL (plaintext; tests set LEGACY_DB_TLS=off). */
  readonly url: string;
  /** `server`: the machine's PostgreSQL; `pglite`: embedded PGlite behind its wire-protocol socket. */
  readonly kind: 'server' | 'pglite';
  stop(): Promise<void>;
}

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The local PostgreSQL server when it answers within a second, else PGlite served over the wire
 * protocol on an ephemeral port, so adapter tests still run the real driver. Tests create their own
 * uniquely named tables and drop them.
 */
export async function startPostgres(): Promise<TestPostgres> {
  if (await answers(SERVER_URL)) return { url: SERVER_URL, kind: 'server', stop: async () => undefined };
  const pglite = await startPglite();
  console.info(`PostgreSQL at ${SERVER_URL} did not answer; the tests use PGlite at ${pglite.url}`);
  return { ...pglite, kind: 'pglite' };
}

/**
 * An in-memory PGlite behind its PostgreSQL wire-protocol server, so the real `pg` driver talks to
 * it. PGlite runs synchronously, so it lives in a worker thread and never stalls the caller's timers
 * or servers.
 *
 * @example
 * ```ts
 * const db = await startPglite({ port: 0 });
 * await runSql(db.url, 'SELECT 1');
 * await db.stop();
 * ```
 */
export async function startPglite(
  options: { host?: string; port?: number; maxConnections?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(PGLITE_WORKER, {
    eval: true,
    workerData: {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 16,
    },
  });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      worker.once('message', (message: { address?: string; error?: string }) =>
        message.address === undefined
          ? reject(new Error(`PGlite did not start: ${message.error}`))
          : resolve(message.address),
      );
      worker.once('error', reject);
    });
    return {
      url: `postgres://postgres@${address}/postgres`,
      stop: async () => {
        await worker.terminate();
      },
    };
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

const PGLITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({
      db,
      host: workerData.host,
      port: workerData.port,
      maxConnections: workerData.maxConnections,
    });
    await server.start();
    parentPort.postMessage({ address: server.getServerConn() });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
})();
`;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs SQL on a fresh connection (schema setup and teardown). */
export async function runSql(url: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}
