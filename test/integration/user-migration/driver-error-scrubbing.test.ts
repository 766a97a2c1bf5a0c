import { randomBytes } from 'node:crypto';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';
import { probeMariadb, runMariadbSql } from '../../support/mariadb.js';
import { runSql, startPostgres, type TestPostgres } from '../../support/postgres.js';

// What a user might type into the username field: their password. It must reach no log line.
const SENTINEL = `Sentinel-Typed-Pw-${randomBytes(4).toString('hex')}`;
const table = `scrub_users_${randomBytes(4).toString('hex')}`;
const mariadb = await probeMariadb();
let postgres: TestPostgres;

const LOUD_LOGS = {
  POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  POWERTOOLS_SERVICE_NAME: 'scrub-test',
};

/** Runs one event through the real factory with the logger loaded under `env`; returns the logs and the outcome. */
async function runHandler(
  env: Record<string, string>,
  event: UserMigrationTriggerEvent,
): Promise<{ text: string; lines: Record<string, unknown>[]; outcome: unknown }> {
  for (const [key, value] of Object.entries({ ...LOUD_LOGS, ...env })) vi.stubEnv(key, value);
  vi.resetModules();
  const { createUserMigrationHandler } =
    await import('../../../triggers/user-migration/create-user-migration-handler.js');
  const logs = captureLogs();
  try {
    const handler = createUserMigrationHandler();
    const outcome = await handler(event, fakeLambdaContext()).catch((error: unknown) => error);
    return { text: logs.text(), lines: logs.lines(), outcome };
  } finally {
    logs.restore();
  }
}

function errorsIn(lines: Record<string, unknown>[]): Record<string, unknown>[] {
  return lines.flatMap((line) =>
    typeof line.error === 'object' && line.error !== null ? [line.error as Record<string, unknown>] : [],
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('driver errors against PostgreSQL', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    await runSql(
      postgres.url,
      `CREATE TABLE ${table} (id integer PRIMARY KEY, password_hash text, email text)`,
    );
  });
  afterAll(async () => {
    await runSql(postgres.url, `DROP TABLE IF EXISTS ${table}`);
    await postgres.stop();
  });

  it('logs the SQLSTATE of "invalid input syntax" but not the value PostgreSQL quotes', async () => {
    // Prepare: the query casts the username to an integer, so PostgreSQL quotes it back in the error.
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');
    event.userName = SENTINEL;

    // Act
    const { text, lines, outcome } = await runHandler(
      {
        LEGACY_STORE: 'postgres',
        LEGACY_DB_URL: postgres.url,
        LEGACY_DB_TLS: 'off',
        LEGACY_USER_QUERY: `SELECT password_hash, email FROM ${table} WHERE id = $1::int`,
      },
      event,
    );

    // Assess
    expect((outcome as Error).message).toMatch(/^\[TEMPORARY_FAILURE\]/);
    expect(text).toContain('invalid input syntax for type integer');
    expect(text).not.toContain(SENTINEL);
    expect(errorsIn(lines).some((error) => error.code === '22P02')).toBe(true);
  });
});

describe.skipIf(!mariadb.available && process.env.CI !== 'true')('driver errors against MariaDB', () => {
  beforeAll(async () => {
    await runMariadbSql(
      mariadb.url,
      `CREATE TABLE ${table} (username VARCHAR(190) NOT NULL, password_hash VARCHAR(255) NULL, email VARCHAR(255) NULL, email_verified TINYINT(1) NULL, disabled TINYINT(1) NOT NULL DEFAULT 0, n INT NULL)`,
    );
    await runMariadbSql(
      mariadb.url,
      `INSERT INTO ${table} (username, password_hash, email, email_verified) VALUES (?, NULL, 'm@example.com', 1)`,
      [SENTINEL],
    );
  });
  afterAll(async () => {
    await runMariadbSql(mariadb.url, `DROP TABLE IF EXISTS ${table}`);
  });

  it('logs the code and errno of "Incorrect integer value" but not the value MariaDB quotes, nor the SQL mysql2 keeps', async () => {
    // Prepare: the record-back writes the username into an INT column; strict mode answers with an error.
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/forgot-password.json');
    event.userName = SENTINEL;

    // Act
    const { text, lines, outcome } = await runHandler(
      {
        LEGACY_STORE: 'mysql',
        LEGACY_DB_URL: mariadb.url,
        LEGACY_DB_TLS: 'off',
        LEGACY_USER_QUERY: `SELECT password_hash, email, email_verified, disabled FROM ${table} WHERE username = ?`,
        LEGACY_RECORD_MIGRATED_QUERY: `INSERT INTO ${table} (username, n) VALUES ('x', ?)`,
      },
      event,
    );

    // Assess: the migration stands (the record-back is best effort), and its failure is logged safely.
    expect((outcome as UserMigrationTriggerEvent).response.messageAction).toBe('SUPPRESS');
    expect(text).toContain('Incorrect integer value');
    expect(text).not.toContain(SENTINEL);
    expect(errorsIn(lines)).toContainEqual(
      expect.objectContaining({ code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', errno: 1366 }),
    );
  });
});
