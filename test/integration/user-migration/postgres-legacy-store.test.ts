import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DEADLINE, startDeadline } from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';
import type { SqlStoreConfig } from '../../../triggers/user-migration/config.js';
import {
  AmbiguousLegacyUserError,
  LegacyRowShapeError,
} from '../../../triggers/user-migration/stores/map-legacy-row.js';
import { createPostgresLegacyStore } from '../../../triggers/user-migration/stores/postgres-legacy-store.js';
import { parseDbUrl } from '../../../triggers/user-migration/stores/db-credentials.js';
import { runSql, startPostgres, type TestPostgres } from '../../support/postgres.js';

const table = `legacy_users_${randomBytes(4).toString('hex')}`;
let postgres: TestPostgres;

function storeConfig(overrides: Partial<Omit<SqlStoreConfig, 'kind'>> = {}): Omit<SqlStoreConfig, 'kind'> {
  return {
    credentials: { kind: 'url', url: postgres.url },
    userQuery: `SELECT password_hash, email, email_verified, given_name, birthdate, custom_plan, disabled, internal_notes FROM ${table} WHERE username = $1`,
    recordMigratedQuery: `UPDATE ${table} SET migrated_at = coalesce(migrated_at, clock_timestamp()) WHERE username = $1`,
    tls: { mode: 'off' },
    poolMax: 1,
    connectTimeoutMs: 2000,
    queryTimeoutMs: 2000,
    ...overrides,
  };
}

beforeAll(async () => {
  postgres = await startPostgres();
  await runSql(
    postgres.url,
    `CREATE TABLE ${table} (
       username text NOT NULL, password_hash text, email text, email_verified boolean, given_name text,
       birthdate date, custom_plan text, disabled boolean NOT NULL DEFAULT false, internal_notes text,
       migrated_at timestamptz)`,
  );
  await runSql(
    postgres.url,
    `INSERT INTO ${table} (username, password_hash, email, email_verified, given_name, birthdate, custom_plan, disabled, internal_notes) VALUES
       ('alice', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', 'alice@example.com', true, 'Alice', '1990-07-04', 'gold', false, 'vip'),
       ('bob', NULL, 'bob@example.com', false, NULL, NULL, NULL, true, NULL),
       ('twin', 'x', NULL, NULL, NULL, NULL, NULL, false, NULL),
       ('twin', 'y', NULL, NULL, NULL, NULL, NULL, false, NULL)`,
  );
});

afterAll(async () => {
  await runSql(postgres.url, `DROP TABLE IF EXISTS ${table}`);
  await postgres.stop();
});

describe('createPostgresLegacyStore', () => {
  it('finds a user and maps the row per the contract', async () => {
    // Prepare
    const store = createPostgresLegacyStore(storeConfig());

    // Act
    const user = await store.findUser('alice', NO_DEADLINE.signal);
    await store.close?.();

    // Assess
    expect(user).toEqual({
      passwordHash: '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
      disabled: false,
      attributes: {
        email: 'alice@example.com',
        email_verified: 'true',
        given_name: 'Alice',
        birthdate: '1990-07-04',
        'custom:plan': 'gold',
      },
    });
  });

  it('reads a disabled user without a password', async () => {
    const store = createPostgresLegacyStore(storeConfig());

    const user = await store.findUser('bob', NO_DEADLINE.signal);
    await store.close?.();

    expect(user).toEqual({
      passwordHash: undefined,
      disabled: true,
      attributes: { email: 'bob@example.com', email_verified: 'false' },
    });
  });

  it.each([
    ['an integer 2', '2::int', true],
    ['a smallint -1', '(-1)::smallint', true],
    ["the text 'on'", "'on'::text", true],
    ["the text 'locked'", "'locked'::text", true],
    ["the text 'false'", "'false'::text", false],
    ['an integer 0', '0::int', false],
    ['NULL', 'NULL::boolean', false],
  ])(
    'reads a disabled column that PostgreSQL returns as %s strictly',
    async (_case, expression, disabled) => {
      const store = createPostgresLegacyStore(
        storeConfig({
          userQuery: `SELECT password_hash, ${expression} AS disabled FROM ${table} WHERE username = $1`,
        }),
      );

      const user = await store.findUser('alice', NO_DEADLINE.signal);
      await store.close?.();

      expect(user?.disabled).toBe(disabled);
    },
  );

  it('treats a disabled column PostgreSQL returns as JSON as a fault', async () => {
    const store = createPostgresLegacyStore(
      storeConfig({
        userQuery: `SELECT password_hash, '{"locked":true}'::json AS disabled FROM ${table} WHERE username = $1`,
      }),
    );

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toBeInstanceOf(LegacyRowShapeError);
    await store.close?.();
  });

  it.each([
    ['an unknown username', 'carol'],
    ['a username that tries SQL injection with a tautology', "alice' OR '1'='1"],
    ['a username that tries to drop the table', `x'; DROP TABLE ${table}; --`],
    ['a username that differs only in case', 'ALICE'],
  ])('answers no user for %s, and the table survives', async (_case, username) => {
    const store = createPostgresLegacyStore(storeConfig());

    const user = await store.findUser(username, NO_DEADLINE.signal);
    await store.close?.();

    expect(user).toBeUndefined();
    const count = await runSql(postgres.url, `SELECT count(*)::int AS n FROM ${table}`);
    expect(count.rows[0]).toEqual({ n: 4 });
  });

  it('refuses to pick one of two rows for one username', async () => {
    const store = createPostgresLegacyStore(storeConfig());

    await expect(store.findUser('twin', NO_DEADLINE.signal)).rejects.toBeInstanceOf(AmbiguousLegacyUserError);
    await store.close?.();
  });

  it('records a migration once, however often Cognito retries', async () => {
    const store = createPostgresLegacyStore(storeConfig());

    await store.recordMigrated?.('alice', NO_DEADLINE.signal);
    const first = await runSql(postgres.url, `SELECT migrated_at FROM ${table} WHERE username = 'alice'`);
    await store.recordMigrated?.('alice', NO_DEADLINE.signal);
    const second = await runSql(postgres.url, `SELECT migrated_at FROM ${table} WHERE username = 'alice'`);
    await store.close?.();

    expect(first.rows[0].migrated_at).toBeInstanceOf(Date);
    expect(second.rows[0].migrated_at).toEqual(first.rows[0].migrated_at);
  });

  it('reuses its connection across invocations', async () => {
    const store = createPostgresLegacyStore(
      storeConfig({
        userQuery: `SELECT pg_backend_pid() AS custom_pid, password_hash FROM ${table} WHERE username = $1`,
      }),
    );

    const first = await store.findUser('alice', NO_DEADLINE.signal);
    const second = await store.findUser('alice', NO_DEADLINE.signal);
    await store.close?.();

    expect(first?.attributes['custom:pid']).toMatch(/^\d+$/);
    expect(second?.attributes['custom:pid']).toBe(first?.attributes['custom:pid']);
  });

  it('fails when the database does not answer', async () => {
    const store = createPostgresLegacyStore(
      storeConfig({ credentials: { kind: 'url', url: 'postgres://postgres@127.0.0.1:1/test' } }),
    );

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow();
    await store.close?.();
  });

  it('connects with credentials from an RDS-format secret, read once per container', async () => {
    const params = parseDbUrl(postgres.url);
    const secret = JSON.stringify({
      engine: 'postgres',
      host: params.host,
      port: params.port,
      username: params.user,
      password: 'unused-with-trust-auth',
      dbname: params.database,
    });
    const reads: string[] = [];
    const store = createPostgresLegacyStore(
      storeConfig({
        credentials: {
          kind: 'secret',
          secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db',
        },
      }),
      { readSecret: async (arn) => (reads.push(arn), secret) },
    );

    const user = await store.findUser('alice', NO_DEADLINE.signal);
    await store.findUser('alice', NO_DEADLINE.signal);
    await store.close?.();

    expect(user?.attributes.email).toBe('alice@example.com');
    expect(reads).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db']);
  });

  it('refuses TLS-less servers when TLS is required', async () => {
    const store = createPostgresLegacyStore(storeConfig({ tls: { mode: 'verify' } }));

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/SSL|TLS/i);
    await store.close?.();
  });
});

// Last: on the PGlite fallback a sleeping query holds the single-threaded database until it ends.
describe('createPostgresLegacyStore with slow queries', () => {
  it('gives up on a slow query when the deadline passes', async () => {
    const store = createPostgresLegacyStore(
      storeConfig({
        userQuery: `SELECT password_hash, pg_sleep(3)::text AS custom_slept FROM ${table} WHERE username = $1`,
      }),
    );
    const deadline = startDeadline(300);

    const started = Date.now();
    const outcome = store.findUser('alice', deadline.signal);

    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1500);
    deadline.dispose();
    await store.close?.();
  });

  it('lets the server cancel a query that outlives LEGACY_DB_QUERY_TIMEOUT_MS', async () => {
    const store = createPostgresLegacyStore(
      storeConfig({
        queryTimeoutMs: 200,
        userQuery: `SELECT password_hash, pg_sleep(3)::text AS custom_slept FROM ${table} WHERE username = $1`,
      }),
    );

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(
      /statement timeout|Query read timeout/,
    );
    await store.close?.();
  });
});
