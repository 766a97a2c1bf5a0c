import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DEADLINE, startDeadline } from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';
import type { SqlStoreConfig } from '../../../triggers/user-migration/config.js';
import { parseDbUrl } from '../../../triggers/user-migration/stores/db-credentials.js';
import { AmbiguousLegacyUserError } from '../../../triggers/user-migration/stores/map-legacy-row.js';
import { createMysqlLegacyStore } from '../../../triggers/user-migration/stores/mysql-legacy-store.js';
import { probeMariadb, runMariadbSql } from '../../support/mariadb.js';

const mariadb = await probeMariadb();
const table = `legacy_users_${randomBytes(4).toString('hex')}`;

function storeConfig(overrides: Partial<Omit<SqlStoreConfig, 'kind'>> = {}): Omit<SqlStoreConfig, 'kind'> {
  return {
    credentials: { kind: 'url', url: mariadb.url },
    userQuery: `SELECT password_hash, email, email_verified, phone_number, phone_number_verified, birthdate, custom_plan, disabled, internal_notes FROM ${table} WHERE username = ?`,
    recordMigratedQuery: `UPDATE ${table} SET migrated_at = COALESCE(migrated_at, NOW(6)) WHERE username = ?`,
    tls: { mode: 'off' },
    poolMax: 1,
    connectTimeoutMs: 2000,
    queryTimeoutMs: 2000,
    ...overrides,
  };
}

/** A MariaDB account of its own that may only read the test table (drop it with `DROP USER`). */
async function createReadOnlyAccount(): Promise<{
  params: ReturnType<typeof parseDbUrl>;
  account: string;
  password: string;
}> {
  const params = parseDbUrl(mariadb.url);
  const account = `legacy_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await runMariadbSql(mariadb.url, `CREATE USER '${account}'@'%' IDENTIFIED BY '${password}'`);
  await runMariadbSql(mariadb.url, `GRANT SELECT ON ${params.database}.${table} TO '${account}'@'%'`);
  return { params, account, password };
}

describe.skipIf(!mariadb.available)(
  `createMysqlLegacyStore against MariaDB${mariadb.reason ? ` (${mariadb.reason})` : ''}`,
  () => {
    beforeAll(async () => {
      await runMariadbSql(
        mariadb.url,
        `CREATE TABLE ${table} (
         username VARCHAR(190) NOT NULL, password_hash VARCHAR(255) NULL, email VARCHAR(255) NULL,
         email_verified TINYINT(1) NULL, phone_number VARCHAR(32) NULL, phone_number_verified BIT(1) NULL,
         birthdate DATE NULL, custom_plan VARCHAR(32) NULL, disabled TINYINT(1) NOT NULL DEFAULT 0,
         internal_notes TEXT NULL, migrated_at DATETIME(6) NULL
       ) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
      );
      await runMariadbSql(
        mariadb.url,
        `INSERT INTO ${table} (username, password_hash, email, email_verified, phone_number, phone_number_verified, birthdate, custom_plan, disabled, internal_notes) VALUES
         ('alice', '$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0', 'alice@example.com', 1, '+15555550100', b'1', '1990-07-04', 'gold', 0, 'vip'),
         ('bob', NULL, 'bob@example.com', 0, NULL, b'0', NULL, NULL, 1, NULL),
         ('twin', 'x', NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL),
         ('twin', 'y', NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL),
         ('tiny2', 'x', NULL, NULL, NULL, NULL, NULL, NULL, 2, NULL)`,
      );
    });

    afterAll(async () => {
      await runMariadbSql(mariadb.url, `DROP TABLE IF EXISTS ${table}`);
    });

    it('finds a user and maps TINYINT, BIT and DATE columns per the contract', async () => {
      // Prepare
      const store = createMysqlLegacyStore(storeConfig());

      // Act
      const user = await store.findUser('alice', NO_DEADLINE.signal);
      await store.close?.();

      // Assess
      expect(user).toEqual({
        passwordHash: '$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0',
        disabled: false,
        attributes: {
          email: 'alice@example.com',
          email_verified: 'true',
          phone_number: '+15555550100',
          phone_number_verified: 'true',
          birthdate: '1990-07-04',
          'custom:plan': 'gold',
        },
      });
    });

    it('reads a disabled user without a password', async () => {
      const store = createMysqlLegacyStore(storeConfig());

      const user = await store.findUser('bob', NO_DEADLINE.signal);
      await store.close?.();

      expect(user).toEqual({
        passwordHash: undefined,
        disabled: true,
        attributes: { email: 'bob@example.com', email_verified: 'false', phone_number_verified: 'false' },
      });
    });

    it('reads a TINYINT(1) disabled of 2 as disabled (MySQL reads any non-zero TINYINT as true)', async () => {
      const store = createMysqlLegacyStore(storeConfig());

      const user = await store.findUser('tiny2', NO_DEADLINE.signal);
      await store.close?.();

      expect(user?.disabled).toBe(true);
    });

    it.each([
      ["the text 'on'", "'on'", true],
      ["the text 'locked'", "'locked'", true],
      ["the text 'no'", "'no'", false],
      ['a signed -1', 'CAST(-1 AS SIGNED)', true],
      ['a BIT(1) 0', "b'0'", false],
    ])('reads a disabled column that MariaDB returns as %s strictly', async (_case, expression, disabled) => {
      const store = createMysqlLegacyStore(
        storeConfig({
          userQuery: `SELECT password_hash, ${expression} AS disabled FROM ${table} WHERE username = ?`,
        }),
      );

      const user = await store.findUser('alice', NO_DEADLINE.signal);
      await store.close?.();

      expect(user?.disabled).toBe(disabled);
    });

    it.each([
      ['an unknown username', 'carol'],
      ['a username that tries SQL injection with a tautology', "alice' OR '1'='1"],
      ['a username that tries to drop the table', `x'; DROP TABLE ${table}; --`],
      ['a username that escapes the quote with a backslash', "alice\\' OR 1=1 -- "],
    ])('answers no user for %s, and the table survives', async (_case, username) => {
      const store = createMysqlLegacyStore(storeConfig());

      const user = await store.findUser(username, NO_DEADLINE.signal);
      await store.close?.();

      expect(user).toBeUndefined();
      expect(await runMariadbSql(mariadb.url, `SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 5 }]);
    });

    it('refuses to pick one of two rows for one username', async () => {
      const store = createMysqlLegacyStore(storeConfig());

      await expect(store.findUser('twin', NO_DEADLINE.signal)).rejects.toBeInstanceOf(
        AmbiguousLegacyUserError,
      );
      await store.close?.();
    });

    it('records a migration once, however often Cognito retries', async () => {
      const store = createMysqlLegacyStore(storeConfig());
      const read = (): Promise<unknown> =>
        runMariadbSql(mariadb.url, `SELECT migrated_at FROM ${table} WHERE username = 'alice'`);

      await store.recordMigrated?.('alice', NO_DEADLINE.signal);
      const first = (await read()) as { migrated_at: Date | null }[];
      await store.recordMigrated?.('alice', NO_DEADLINE.signal);
      const second = await read();
      await store.close?.();

      expect(first[0]?.migrated_at).toBeInstanceOf(Date);
      expect(second).toEqual(first);
    });

    it('reads and records a user in tables of CJK character sets (the server converts to utf8mb4)', async () => {
      // The embedded mysql2 leaves out iconv-lite's CJK tables: this proves no text on the way needs them.
      const cjk = `${table}_cjk`;
      await runMariadbSql(
        mariadb.url,
        `CREATE TABLE ${cjk} (
         username VARCHAR(64) CHARACTER SET gbk NOT NULL, password_hash VARCHAR(255) CHARACTER SET big5 NULL,
         email VARCHAR(255) CHARACTER SET big5 NULL, custom_plan VARCHAR(32) CHARACTER SET sjis NULL,
         custom_team VARCHAR(32) CHARACTER SET euckr NULL, disabled TINYINT(1) NOT NULL DEFAULT 0,
         migrated_at DATETIME(6) NULL
       ) CHARACTER SET gbk`,
      );
      try {
        await runMariadbSql(
          mariadb.url,
          `INSERT INTO ${cjk} (username, password_hash, email, custom_plan, custom_team) VALUES (?, ?, ?, ?, ?)`,
          ['张伟', '$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0', '陳大文@example.com', 'ゴールド', '개발팀'],
        );
        const store = createMysqlLegacyStore(
          storeConfig({
            userQuery: `SELECT password_hash, email, custom_plan, custom_team, disabled FROM ${cjk} WHERE username = ?`,
            recordMigratedQuery: `UPDATE ${cjk} SET migrated_at = NOW(6) WHERE username = ?`,
          }),
        );

        const user = await store.findUser('张伟', NO_DEADLINE.signal);
        await store.recordMigrated?.('张伟', NO_DEADLINE.signal);
        await store.close?.();

        expect(user).toEqual({
          passwordHash: '$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0',
          disabled: false,
          attributes: { email: '陳大文@example.com', 'custom:plan': 'ゴールド', 'custom:team': '개발팀' },
        });
        const recorded = (await runMariadbSql(
          mariadb.url,
          `SELECT migrated_at FROM ${cjk} WHERE username = ?`,
          ['张伟'],
        )) as { migrated_at: Date | null }[];
        expect(recorded[0]?.migrated_at).toBeInstanceOf(Date);
      } finally {
        await runMariadbSql(mariadb.url, `DROP TABLE IF EXISTS ${cjk}`);
      }
    });

    it('reuses its connection across invocations', async () => {
      const store = createMysqlLegacyStore(
        storeConfig({
          userQuery: `SELECT CONNECTION_ID() AS custom_connection, password_hash FROM ${table} WHERE username = ?`,
        }),
      );

      const first = await store.findUser('alice', NO_DEADLINE.signal);
      const second = await store.findUser('alice', NO_DEADLINE.signal);
      await store.close?.();

      expect(first?.attributes['custom:connection']).toMatch(/^\d+$/);
      expect(second?.attributes['custom:connection']).toBe(first?.attributes['custom:connection']);
    });

    it('connects with credentials from an RDS-format secret, read once per container', async () => {
      const { params, account, password } = await createReadOnlyAccount();
      const secret = JSON.stringify({
        engine: 'mariadb',
        host: params.host,
        port: params.port,
        username: account,
        password,
        dbname: params.database,
      });
      const reads: string[] = [];
      const store = createMysqlLegacyStore(
        storeConfig({
          credentials: {
            kind: 'secret',
            secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db',
          },
        }),
        { readSecret: async (arn) => (reads.push(arn), secret) },
      );

      try {
        const user = await store.findUser('alice', NO_DEADLINE.signal);
        await store.findUser('alice', NO_DEADLINE.signal);

        expect(user?.attributes.email).toBe('alice@example.com');
        expect(reads).toHaveLength(1);
      } finally {
        await store.close?.();
        await runMariadbSql(mariadb.url, `DROP USER '${account}'@'%'`);
      }
    });

    // The code comes from mysql2's error table, which the embedded copy carries compacted (generate:embedded).
    it('reads the secret again after the server refuses its credentials (a rotation), naming the refusal', async () => {
      const { params, account, password } = await createReadOnlyAccount();
      const secretWith = (secretPassword: string) =>
        JSON.stringify({
          engine: 'mariadb',
          host: params.host,
          port: params.port,
          username: account,
          password: secretPassword,
          dbname: params.database,
        });
      const answers = [secretWith('rotated-away'), secretWith(password)];
      const store = createMysqlLegacyStore(
        storeConfig({
          credentials: {
            kind: 'secret',
            secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db',
          },
        }),
        { readSecret: async () => answers.shift() ?? '' },
      );

      try {
        const refused = await store.findUser('alice', NO_DEADLINE.signal).catch((error: unknown) => error);
        const user = await store.findUser('alice', NO_DEADLINE.signal);

        expect(refused).toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 });
        expect(user?.attributes.email).toBe('alice@example.com');
        expect(answers).toEqual([]);
      } finally {
        await store.close?.();
        await runMariadbSql(mariadb.url, `DROP USER '${account}'@'%'`);
      }
    });

    it('names the missing field of a secret, never its content', async () => {
      const store = createMysqlLegacyStore(
        storeConfig({
          credentials: {
            kind: 'secret',
            secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db',
          },
        }),
        { readSecret: async () => JSON.stringify({ host: '127.0.0.1', username: 'root', password: '' }) },
      );

      await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(
        'The database secret lacks password',
      );
      await store.close?.();
    });

    it('gives up on a slow query when the deadline passes', async () => {
      const store = createMysqlLegacyStore(
        storeConfig({
          userQuery: `SELECT password_hash, SLEEP(3) AS custom_slept FROM ${table} WHERE username = ?`,
        }),
      );
      const deadline = startDeadline(300);

      const started = Date.now();
      await expect(store.findUser('alice', deadline.signal)).rejects.toBeInstanceOf(DeadlineExceededError);

      expect(Date.now() - started).toBeLessThan(1500);
      deadline.dispose();
      await store.close?.();
    });

    it('stops waiting for a query that outlives LEGACY_DB_QUERY_TIMEOUT_MS', async () => {
      const store = createMysqlLegacyStore(
        storeConfig({
          queryTimeoutMs: 200,
          userQuery: `SELECT password_hash, SLEEP(3) AS custom_slept FROM ${table} WHERE username = ?`,
        }),
      );

      await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/timeout/i);
      await store.close?.();
    });

    it('fails when the database does not answer', async () => {
      const store = createMysqlLegacyStore(
        storeConfig({ credentials: { kind: 'url', url: 'mysql://root@127.0.0.1:1/test' } }),
      );

      await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow();
      await store.close?.();
    });

    it('refuses a TLS-less server when TLS is required', async () => {
      const store = createMysqlLegacyStore(storeConfig({ tls: { mode: 'verify' } }));

      await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/SSL|TLS|secure/i);
      await store.close?.();
    });
  },
);
